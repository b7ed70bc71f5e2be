using System.Runtime.InteropServices;
using Tmds.Linux;

namespace Joold.Sockets;

/// <summary>
/// An eventfd(2) that a thread waiting in ppoll(2) watches next to its socket, so another thread can wake it: the
/// one way to end a wait on a socket that shutdown(2) cannot interrupt (netlink). Setting it after it was disposed
/// does nothing.
/// </summary>
internal sealed class WakeEvent : SafeHandle
{
    public WakeEvent()
        : base(invalidHandleValue: -1, ownsHandle: true)
    {
        int fd = LibC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        if (fd < 0)
        {
            throw SocketErrors.From(LibC.errno, "eventfd");
        }

        SetHandle(fd);
    }

    public override bool IsInvalid => handle == -1;

    /// <summary>The fd to poll; valid until disposed.</summary>
    public int Fd => (int)handle;

    /// <summary>Makes the fd readable, so a ppoll(2) on it returns.</summary>
    public unsafe void Set()
    {
        bool added = false;
        try
        {
            DangerousAddRef(ref added);
            ulong one = 1;
            _ = LibC.write(Fd, &one, sizeof(ulong));
        }
        catch (ObjectDisposedException)
        {
            // The thread it woke has ended.
        }
        finally
        {
            if (added)
            {
                DangerousRelease();
            }
        }
    }

    /// <summary>Makes the fd unreadable again.</summary>
    public unsafe void Clear()
    {
        ulong count;
        _ = LibC.read(Fd, &count, sizeof(ulong));
    }

    protected override bool ReleaseHandle() => LibC.close((int)handle) == 0;
}
