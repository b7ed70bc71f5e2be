using System.Diagnostics;
using Joold.Sessions;

namespace Joold.EndToEnd.Tests.Support;

/// <summary>Compares the sessions one kernel sent with those another kernel's database holds.</summary>
internal static class SessionAssert
{
    /// <summary>
    /// How much older than the sent value an expiration may read: 10 s, or the time since the sessions were
    /// injected (plus 1 s of clock granularity) when a loaded machine made the test slower than that.
    /// </summary>
    public static long ExpirationSlackMs(TimeSpan sinceInjected) => Math.Max(10_000, (long)sinceInjected.TotalMilliseconds + 1_000);

    /// <summary>
    /// Every sent session is in <paramref name="database"/> and nothing else is, byte for byte except the
    /// expiration (bytes 24-27), which the receiver re-bases and reports as "ms left now": at most what was sent
    /// and less than <see cref="ExpirationSlackMs"/> older. <paramref name="sinceInjected"/> was started before the
    /// sessions were injected.
    /// </summary>
    public static void SameSessions(IEnumerable<SessionEntry> sent, IEnumerable<SessionEntry> database, Stopwatch sinceInjected)
    {
        long slackMs = ExpirationSlackMs(sinceInjected.Elapsed);
        var expected = sent.OrderBy(Key, StringComparer.Ordinal).ToList();
        var actual = database.OrderBy(Key, StringComparer.Ordinal).ToList();
        Assert.Equal(expected.Select(Key), actual.Select(Key));
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(HexWithoutExpiration(expected[i]), HexWithoutExpiration(actual[i]));
            Assert.Equal(expected[i] with { ExpirationMilliseconds = 0 }, actual[i] with { ExpirationMilliseconds = 0 });
            uint sentMs = expected[i].ExpirationMilliseconds;
            uint leftMs = actual[i].ExpirationMilliseconds;
            Assert.True(
                leftMs <= sentMs && leftMs + slackMs > sentMs,
                $"Session {Key(actual[i])}: {leftMs} ms left, sent with {sentMs} ms (expected at most that, and less than {slackMs} ms older).");
        }
    }

    /// <summary>
    /// Byte for byte: each 36-byte payload of <paramref name="container"/> (as the sender's kernel gave it) equals one
    /// of the raw 36-byte sessions in <paramref name="database"/> (the "hex" of the fake's db), the expiration
    /// (bytes 24-27, re-based by the receiver) aside, and the counts match.
    /// </summary>
    public static void SameBytes(ReadOnlySpan<byte> container, IReadOnlyList<byte[]> database)
    {
        var expected = new List<string>();
        for (int offset = 0; offset < container.Length; offset += SessionContainer.EntrySize)
        {
            expected.Add(HexWithoutExpiration(container.Slice(offset + 4, SessionEntry.SerializedSize)));
        }

        Assert.Equal(expected.Order(StringComparer.Ordinal), database.Select(d => HexWithoutExpiration(d)).Order(StringComparer.Ordinal));
    }

    /// <summary>The identity of a session in Jool's tables: protocol, src6 address and port, dst4 address and port.</summary>
    public static string Key(SessionEntry session) =>
        $"{session.Protocol} {session.Source6}#{session.Source6Port} -> {session.Destination4}#{session.Destination4Port}";

    /// <summary>The 36 serialized bytes as hex, with the expiration zeroed.</summary>
    public static string HexWithoutExpiration(SessionEntry session)
    {
        var bytes = new byte[SessionEntry.SerializedSize];
        (session with { ExpirationMilliseconds = 0 }).Write(bytes);
        return Convert.ToHexString(bytes);
    }

    /// <summary>Raw 36 serialized bytes as hex, with the expiration zeroed.</summary>
    public static string HexWithoutExpiration(ReadOnlySpan<byte> raw)
    {
        Assert.Equal(SessionEntry.SerializedSize, raw.Length);
        byte[] bytes = raw.ToArray();
        bytes.AsSpan(24, 4).Clear();
        return Convert.ToHexString(bytes);
    }
}
