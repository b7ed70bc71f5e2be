using System.Runtime.InteropServices;

namespace Joold.Plugins.Tests.Sockets;

/// <summary>
/// Runs code without CAP_NET_ADMIN, as a daemon started by an unprivileged user would: capabilities belong to a
/// thread on Linux, so a dedicated thread drops it from its effective set and ends afterwards.
/// </summary>
internal static partial class ThreadCapabilities
{
    private const uint Version3 = 0x20080522; // _LINUX_CAPABILITY_VERSION_3: two 32-bit words
    private const int CapNetAdmin = 12;

    public static Task<T> RunWithoutNetAdminAsync<T>(Func<T> action)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                DropFromEffective(CapNetAdmin);
                done.SetResult(action());
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "without CAP_NET_ADMIN",
        };
        thread.Start();
        return done.Task;
    }

    private static unsafe void DropFromEffective(int capability)
    {
        var header = new CapHeader { Version = Version3, Pid = 0 };
        var data = stackalloc CapData[2];
        if (capget(&header, data) != 0)
        {
            throw new InvalidOperationException($"capget failed: errno {Marshal.GetLastPInvokeError()}");
        }

        data[capability / 32].Effective &= ~(1u << (capability % 32));
        if (capset(&header, data) != 0)
        {
            throw new InvalidOperationException($"capset failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int capget(CapHeader* header, CapData* data);

    [LibraryImport("libc", SetLastError = true)]
    private static unsafe partial int capset(CapHeader* header, CapData* data);

    [StructLayout(LayoutKind.Sequential)]
    private struct CapHeader
    {
        public uint Version;
        public int Pid;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CapData
    {
        public uint Effective;
        public uint Permitted;
        public uint Inheritable;
    }
}
