using static Joold.FakeKernel.JoolDefinitions;

namespace Joold.FakeKernel;

/// <summary>An instance's session-sync globals (spec 4.1), with Jool's defaults except that SS starts enabled.</summary>
public sealed record FakeInstanceSettings
{
    /// <summary>ss-enabled. Jool's default is false; a fake exists to synchronize, so it defaults to true.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>ss-capacity: queued sessions beyond this are dropped (ENOSPC), unless an advertisement runs.</summary>
    public int Capacity { get; init; } = DEFAULT_JOOLD_CAPACITY;

    /// <summary>ss-max-sessions-per-packet.</summary>
    public int MaxSessionsPerPacket { get; init; } = DEFAULT_JOOLD_MAX_SESSIONS_PER_PKT;

    /// <summary>ss-flush-deadline.</summary>
    public TimeSpan FlushDeadline { get; init; } = TimeSpan.FromSeconds(DEFAULT_JOOLD_DEADLINE);
}
