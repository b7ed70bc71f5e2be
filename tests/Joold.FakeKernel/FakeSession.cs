using System.Net;
using Joold.Sessions;

namespace Joold.FakeKernel;

/// <summary>One session in the fake's database; the expiry is absolute, in the fake's milliseconds.</summary>
internal sealed class FakeSession
{
    public required L4Protocol Protocol { get; init; }

    public required IPAddress Source6 { get; init; }

    public required ushort Source6Port { get; init; }

    public required IPAddress Source4 { get; init; }

    public required ushort Source4Port { get; init; }

    public required IPAddress Destination4 { get; init; }

    public required ushort Destination4Port { get; init; }

    public TcpState State { get; set; }

    public SessionTimer Timer { get; set; }

    public long ExpiresAtMs { get; set; }

    /// <summary>A copy the database's later updates leave alone (what the joold queue holds).</summary>
    public FakeSession Copy() => new()
    {
        Protocol = Protocol,
        Source6 = Source6,
        Source6Port = Source6Port,
        Source4 = Source4,
        Source4Port = Source4Port,
        Destination4 = Destination4,
        Destination4Port = Destination4Port,
        State = State,
        Timer = Timer,
        ExpiresAtMs = ExpiresAtMs,
    };

    /// <summary>The session as it serializes at <paramref name="nowMs"/>: milliseconds left, 0 when past.</summary>
    public SessionEntry Snapshot(long nowMs) => new(
        Source6,
        Source6Port,
        Source4,
        Source4Port,
        Destination4,
        Destination4Port,
        (uint)Math.Clamp(ExpiresAtMs - nowMs, 0, uint.MaxValue),
        Protocol,
        State,
        Timer);
}
