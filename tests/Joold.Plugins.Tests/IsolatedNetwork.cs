using System.Diagnostics;
using System.Runtime.InteropServices;
using Joold.Testing;
using Tmds.Linux;

namespace Joold.Plugins.Tests;

/// <summary>
/// Runs setup code in a fresh, anonymous network namespace of its own, with loopback up. Sockets keep the
/// namespace they were created in, so the setup creates every socket the test needs, and the rest of the test
/// uses them from any thread. The namespace has no name to clean up: it goes when its last socket closes.
/// </summary>
public static class IsolatedNetwork
{
    /// <summary>Runs <paramref name="setup"/> on a dedicated thread moved into a new network namespace.</summary>
    public static Task<T> SetUpAsync<T>(Func<T> setup, params (string Key, string Value)[] sysctls) =>
        DedicatedThread.RunAsync("isolated network setup", () =>
        {
            // Namespaces belong to the thread: only this one moves, never a pool thread.
            if (LibC.unshare(LibC.CLONE_NEWNET) != 0)
            {
                throw new InvalidOperationException($"unshare(CLONE_NEWNET) failed: errno {Marshal.GetLastPInvokeError()}");
            }

            // Children fork from this thread, so they act on the new namespace.
            Run("ip", "link", "set", "lo", "up");
            foreach (var (key, value) in sysctls)
            {
                File.WriteAllText($"/proc/sys/{key.Replace('.', '/')}", value);
            }

            return setup();
        });

    private static void Run(string fileName, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(fileName, arguments) { RedirectStandardError = true })
            ?? throw new InvalidOperationException($"{fileName} did not start");
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}");
        }
    }
}
