using Joold.Sessions;

namespace Joold.Nats.Tests.Support;

/// <summary>Sessions compared byte for byte, but for the expiration (bytes 24-27), which a receiver re-bases.</summary>
internal static class SessionBytes
{
    /// <summary>The raw 36 serialized bytes as hex, with the expiration zeroed.</summary>
    public static string WithoutExpiration(ReadOnlySpan<byte> session)
    {
        Assert.Equal(SessionEntry.SerializedSize, session.Length);
        byte[] bytes = session.ToArray();
        bytes.AsSpan(24, 4).Clear();
        return Convert.ToHexString(bytes);
    }

    /// <summary>Each 36-byte payload of a container (N × 40-byte entries), as <see cref="WithoutExpiration"/>, sorted.</summary>
    public static IReadOnlyList<string> OfContainer(ReadOnlySpan<byte> container)
    {
        var sessions = new List<string>();
        for (int offset = 0; offset < container.Length; offset += SessionContainer.EntrySize)
        {
            sessions.Add(WithoutExpiration(container.Slice(offset + 4, SessionEntry.SerializedSize)));
        }

        sessions.Sort(StringComparer.Ordinal);
        return sessions;
    }
}
