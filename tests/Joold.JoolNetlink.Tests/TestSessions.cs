using System.Net;
using Joold.Sessions;

namespace Joold.JoolNetlink.Tests;

/// <summary>Sessions and names for tests.</summary>
public static class TestSessions
{
    private static int _names;

    /// <summary>The spec's worked example (section 3): UDP 2001:db8::8#60927, 192.0.2.1#62806, 192.0.2.8#1234, 299,028 ms.</summary>
    public static SessionEntry Example { get; } = new(
        IPAddress.Parse("2001:db8::8"), 60927, IPAddress.Parse("192.0.2.1"), 62806, IPAddress.Parse("192.0.2.8"), 1234,
        299_028, L4Protocol.Udp, TcpState.Established, SessionTimer.Established);

    /// <summary>The worked example's 40-byte attribute, as the spec prints it.</summary>
    public static byte[] ExampleEntryBytes { get; } = Convert.FromHexString(
        "28000100" + "20010db8000000000000000000000008" + "c0000201" + "c0000208" + "00049014" + "edff" + "f556" + "04d2" + "0020");

    /// <summary>A unique instance name (at most 15 characters) so parallel tests never share one.</summary>
    public static string UniqueInstance(string prefix = "t") =>
        $"{prefix}{Environment.ProcessId % 10000}-{Interlocked.Increment(ref _names)}";

    /// <summary>n distinct valid UDP sessions; <paramref name="tag"/> keeps containers of different calls apart.</summary>
    public static SessionEntry[] Many(int n, int tag = 0) => Enumerable.Range(0, n).Select(i => new SessionEntry(
        IPAddress.Parse($"2001:db8::{tag:x}:{i + 1:x}"), (ushort)(1000 + i), IPAddress.Parse("192.0.2.1"), (ushort)(20000 + i + (tag * 100)),
        IPAddress.Parse("198.51.100.7"), 53, (uint)(60_000 + i), L4Protocol.Udp, TcpState.Established, SessionTimer.Established)).ToArray();

    public static byte[] Container(int n, int tag = 0) => SessionContainer.Create(Many(n, tag));
}
