using System.Net.Sockets;
using Microsoft.Win32.SafeHandles;
using Tmds.Linux;

namespace Joold.Testing.Namespaces;

/// <summary>
/// Runs synchronous code on a fresh thread that has joined another network namespace (setns(2)); sockets made
/// there stay in that namespace for their whole life, whichever thread uses them later. The thread goes back to
/// its own namespace and ends, so no other code ever runs inside.
/// </summary>
public static class NetnsThread
{
    public static Task<T> RunAsync<T>(string namespacePath, Func<T> action) =>
        DedicatedThread.RunAsync($"netns {Path.GetFileName(namespacePath)}", () =>
        {
            using SafeFileHandle home = File.OpenHandle("/proc/thread-self/ns/net");
            using SafeFileHandle target = File.OpenHandle(namespacePath);
            Enter(target, namespacePath);
            try
            {
                return action();
            }
            finally
            {
                Enter(home, "the original namespace");
            }
        });

    public static Task RunAsync(string namespacePath, Action action) =>
        RunAsync(namespacePath, () =>
        {
            action();
            return true;
        });

    /// <summary>A UDP socket in <paramref name="namespacePath"/> (/var/run/netns/NAME), or in ours when null.</summary>
    public static Task<Socket> CreateUdpSocketAsync(string? namespacePath, AddressFamily family) =>
        namespacePath is null
            ? Task.FromResult(new Socket(family, SocketType.Dgram, ProtocolType.Udp))
            : RunAsync(namespacePath, () => new Socket(family, SocketType.Dgram, ProtocolType.Udp));

    private static void Enter(SafeFileHandle handle, string what)
    {
        if (LibC.setns((int)handle.DangerousGetHandle(), LibC.CLONE_NEWNET) != 0)
        {
            throw new InvalidOperationException($"setns into {what} failed: errno {LibC.errno}.");
        }
    }
}
