namespace Joold.FakeKernel;

/// <summary>
/// One instance's JSTAT_JOOLD_* counters while the fake runs, bumped in place under the kernel's lock;
/// <see cref="ToStats"/> freezes them into the published <see cref="JooldKernelStats"/>.
/// </summary>
internal sealed class JooldStatCounters
{
    public long Empty;
    public long Timeout;
    public long MissingAck;
    public long AdOngoing;
    public long PktFull;
    public long Queuing;
    public long SssQueued;
    public long SssSent;
    public long SssRcvd;
    public long SssEnospc;
    public long PktSent;
    public long PktRcvd;
    public long Ads;
    public long Acks;
    public long Collisions;

    public JooldKernelStats ToStats() => new()
    {
        Empty = Empty,
        Timeout = Timeout,
        MissingAck = MissingAck,
        AdOngoing = AdOngoing,
        PktFull = PktFull,
        Queuing = Queuing,
        SssQueued = SssQueued,
        SssSent = SssSent,
        SssRcvd = SssRcvd,
        SssEnospc = SssEnospc,
        PktSent = PktSent,
        PktRcvd = PktRcvd,
        Ads = Ads,
        Acks = Acks,
        Collisions = Collisions,
    };
}
