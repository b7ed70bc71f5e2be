using System.Globalization;

namespace Joold.JoolNetlink.Tests;

/// <summary>
/// Which netlink sockets this process holds, from /proc: a socket's inode (unique while it lives, not reused soon
/// after) proves whether it is still open, where a port id could be taken again by another test's socket.
/// </summary>
public static class OpenSockets
{
    /// <summary>The inode of the netlink socket bound to <paramref name="portId"/> in this namespace, if any.</summary>
    public static ulong? InodeOfPort(uint portId)
    {
        foreach (string line in File.ReadLines("/proc/self/net/netlink").Skip(1))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 10 && uint.TryParse(fields[2], CultureInfo.InvariantCulture, out uint port) && port == portId)
            {
                return ulong.Parse(fields[9], CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    /// <summary>Whether any file descriptor of this process is the socket with <paramref name="inode"/>.</summary>
    public static bool IsOpen(ulong inode)
    {
        string target = $"socket:[{inode.ToString(CultureInfo.InvariantCulture)}]";
        foreach (string fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget == target)
                {
                    return true;
                }
            }
            catch (IOException)
            {
                // Closed while we looked.
            }
        }

        return false;
    }
}
