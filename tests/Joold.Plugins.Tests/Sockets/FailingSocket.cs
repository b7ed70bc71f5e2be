using System.Net.Sockets;
using Tmds.Linux;

namespace Joold.Plugins.Tests.Sockets;

/// <summary>Makes a socket fail for good, to test what a receive loop does then.</summary>
internal static class FailingSocket
{
    /// <summary>Puts /dev/null where the socket's fd was: every receive then fails at once with ENOTSOCK.</summary>
    public static void MakeEveryReceiveFail(Socket socket)
    {
        using var devNull = File.OpenHandle("/dev/null");
        int fd = (int)socket.SafeHandle.DangerousGetHandle();
        Assert.Equal(fd, LibC.dup2((int)devNull.DangerousGetHandle(), fd));
    }
}
