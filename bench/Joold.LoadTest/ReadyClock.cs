using System.Diagnostics;
using Joold.Testing;

namespace Joold.LoadTest;

/// <summary>
/// Time from a daemon's start (just before its process was started, so both kinds pay the same fork and
/// <c>ip netns exec</c>) to its ready line. Polls the captured output every millisecond: the resolution is about 1
/// ms plus the pipe, against start-up times of tens to hundreds of milliseconds.
/// </summary>
internal static class ReadyClock
{
    public static async Task<TimeSpan> WaitAsync(DaemonProcess daemon, long startedAt, string readyLine, TimeSpan timeout)
    {
        while (!daemon.HasPrinted(readyLine))
        {
            if (daemon.HasExited || Stopwatch.GetElapsedTime(startedAt) > timeout)
            {
                // Fails with the daemon's output (it exited), or times out, as the rigs' other waits do.
                await daemon.WaitForOutputAsync(readyLine, TimeSpan.FromMilliseconds(1)).ConfigureAwait(false);
            }

            await Task.Delay(1).ConfigureAwait(false);
        }

        return Stopwatch.GetElapsedTime(startedAt);
    }
}
