using System.Net;
using System.Net.Sockets;
using Joold.Plugins.Unicast;
using Joold.Relay;
using Joold.Sockets;
using Joold.Testing;
using Microsoft.Extensions.Time.Testing;
using Tmds.Linux;

namespace Joold.Plugins.Tests;

/// <summary>A receive that keeps failing must not spin a core: the loop pauses, longer each time, up to a bound.</summary>
public sealed class UnicastReceiveErrorTests
{
    [Fact]
    public async Task A_receive_that_keeps_failing_is_tried_again_only_after_a_growing_pause()
    {
        var time = new WatchedTimeProvider();
        var logger = new RecordingLogger<UnicastTransport>();
        await using var transport = new UnicastTransport(
            new UnicastSettings(new IPEndPoint(IPAddress.Loopback, 0), [new IPEndPoint(IPAddress.Loopback, 9)], null), logger, time);
        await transport.StartAsync(TestContext.Current.CancellationToken);
        MakeEveryReceiveFail(transport.Socket!);
        using var stop = new CancellationTokenSource();

        // On a pool thread, as the relay runs it: a loop that spins keeps its thread, not the test's.
        var run = Task.Run(() => transport.RunAsync(new RejectingWriter(), stop.Token), TestContext.Current.CancellationToken);

        // Each failure is followed by one pause, and nothing is tried again until the (fake) clock has moved past
        // it. A minute of that costs about one attempt a second, where a loop without a pause spins.
        var window = TimeSpan.FromMinutes(1);
        var elapsed = TimeSpan.Zero;
        var pauses = new List<TimeSpan>();
        while (elapsed < window)
        {
            int paused = pauses.Count + 1;
            await Eventually.WaitAsync(() => time.DueTimes.Count == paused, $"pause {paused} to begin");
            Assert.Equal(paused, transport.ReceiveErrors);
            var pause = time.DueTimes[^1];
            pauses.Add(pause);
            time.Advance(pause);
            elapsed += pause;
        }

        Assert.Equal([10, 20, 40, 80, 160, 320, 640, 1000, 1000], pauses.Take(9).Select(p => p.TotalMilliseconds));
        Assert.InRange(transport.ReceiveErrors, 60, 70);
        Assert.Equal(ReceiveErrorBackoff.DefaultMaxPause, pauses.Max());
        Assert.NotEmpty(logger.Messages(553));
        Assert.False(run.IsCompleted);

        await stop.CancelAsync();
        await run.WithTimeout("the loop to end while it pauses");
    }

    /// <summary>Puts /dev/null where the socket's fd was: every receive then fails at once with ENOTSOCK, for good.</summary>
    private static void MakeEveryReceiveFail(Socket socket)
    {
        using var devNull = File.OpenHandle("/dev/null");
        int fd = (int)socket.SafeHandle.DangerousGetHandle();
        Assert.Equal(fd, LibC.dup2((int)devNull.DangerousGetHandle(), fd));
    }

    /// <summary>A fake clock that remembers the due time of every timer made on it (Task.Delay makes one per pause).</summary>
    private sealed class WatchedTimeProvider : FakeTimeProvider
    {
        private readonly List<TimeSpan> _dueTimes = [];
        private readonly Lock _lock = new();

        public IReadOnlyList<TimeSpan> DueTimes
        {
            get
            {
                lock (_lock)
                {
                    return [.. _dueTimes];
                }
            }
        }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            lock (_lock)
            {
                _dueTimes.Add(dueTime);
            }

            return base.CreateTimer(callback, state, dueTime, period);
        }
    }

    private sealed class RejectingWriter : ISessionBatchWriter
    {
        public ValueTask<RelayResult> WriteAsync(ReadOnlyMemory<byte> entries, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("nothing can be received from a socket that always fails");
    }
}
