using System.Net;
using Joold.Sessions;

namespace Joold.Multicast.Tests;

/// <summary>Session containers for tests: valid ones built with Core's codec, and broken ones.</summary>
internal static class Batches
{
    /// <summary>A valid container of <paramref name="count"/> sessions; <paramref name="seed"/> makes it distinct.</summary>
    public static byte[] Valid(int count, int seed = 0)
    {
        var sessions = Enumerable.Range(0, count).Select(i => new SessionEntry(
            Source6: IPAddress.Parse($"2001:db8::{(seed * 7) + i + 1:x}"),
            Source6Port: (ushort)(1000 + i),
            Source4: IPAddress.Parse($"192.0.2.{(i % 250) + 1}"),
            Source4Port: (ushort)(2000 + seed),
            Destination4: IPAddress.Parse($"203.0.113.{(seed % 250) + 1}"),
            Destination4Port: 80,
            ExpirationMilliseconds: (uint)(60_000 + i),
            Protocol: (L4Protocol)(i % 3),
            State: i % 3 == 0 ? TcpState.Established : 0,
            Timer: SessionTimer.Established));
        return SessionContainer.Create(sessions);
    }

    /// <summary>Random bytes that are not a container (the first attribute header has length 0).</summary>
    public static byte[] Garbage(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        if (length >= 2)
        {
            bytes[0] = 0;
            bytes[1] = 0;
        }

        return bytes;
    }
}
