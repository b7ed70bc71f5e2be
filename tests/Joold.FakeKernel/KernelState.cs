using System.Collections.Immutable;

namespace Joold.FakeKernel;

/// <summary>
/// What the fake kernel holds between requests: its instances, how it behaves (test knobs), what it recorded, and
/// its clock. Used under <see cref="FakeJoolKernel"/>'s lock only; <see cref="ToSnapshot"/> freezes it.
/// </summary>
internal sealed class KernelState(ushort familyId, TimeProvider time)
{
    private readonly long _epoch = time.GetTimestamp();

    public ushort FamilyId { get; } = familyId;

    public TimeProvider Time { get; } = time;

    /// <summary>The fake's clock in milliseconds since start, from its <see cref="TimeProvider"/>.</summary>
    public long NowMs => (long)Time.GetElapsedTime(_epoch).TotalMilliseconds;

    public Dictionary<string, FakeInstance> Instances { get; } = new(StringComparer.Ordinal);

    public AckMode AckMode { get; set; } = AckMode.Accept;

    public (int Errno, string Message)? ForcedError { get; set; }

    public ImmutableHashSet<byte> IgnoredCommands { get; set; } = [];

    public bool Recording { get; set; } = true;

    public ImmutableList<ReceivedMessage> Received { get; set; } = [];

    public long HandlerFaults { get; set; }

    public string? LastHandlerFault { get; set; }

    /// <summary>An instance the caller named; an unknown one throws <see cref="ArgumentException"/>.</summary>
    public FakeInstance Get(string instance) =>
        Instances.TryGetValue(instance, out var found) ? found : throw new ArgumentException($"The fake kernel has no instance '{instance}'.", nameof(instance));

    public FakeKernelSnapshot ToSnapshot(long version, KernelSocket socket) => new()
    {
        Version = version,
        Instances = Instances.ToImmutableDictionary(p => p.Key, p => p.Value.ToSnapshot(), StringComparer.Ordinal),
        Received = Received,
        AckMode = AckMode,
        ForcedError = ForcedError,
        IgnoredCommands = IgnoredCommands,
        Recording = Recording,
        MulticastsSent = socket.MulticastsSent,
        LastSendError = socket.LastSendError,
        HandlerFaults = HandlerFaults,
        LastHandlerFault = LastHandlerFault,
    };
}
