using System.Collections.Immutable;

namespace Joold.FakeKernel;

/// <summary>
/// Everything a test may read about a <see cref="FakeJoolKernel"/>, frozen at one instant: the fake builds a new
/// one under its lock after every change and publishes it atomically, so values read from one snapshot always
/// belong together (a counter and a queue length never come from two different moments).
/// </summary>
public sealed record FakeKernelSnapshot
{
    public static FakeKernelSnapshot Empty { get; } = new();

    /// <summary>Bumped on every publication: a later snapshot has a higher number.</summary>
    public long Version { get; init; }

    public ImmutableDictionary<string, FakeInstanceSnapshot> Instances { get; init; } =
        ImmutableDictionary.Create<string, FakeInstanceSnapshot>(StringComparer.Ordinal);

    /// <summary>Every message received while <see cref="Recording"/> was on, in arrival order.</summary>
    public ImmutableList<ReceivedMessage> Received { get; init; } = [];

    public AckMode AckMode { get; init; }

    /// <summary>When set, every HELLO, ADVERTISE and ADD is answered with this error reply.</summary>
    public (int Errno, string Message)? ForcedError { get; init; }

    /// <summary>genl commands dropped without an answer.</summary>
    public ImmutableHashSet<byte> IgnoredCommands { get; init; } = [];

    public bool Recording { get; init; } = true;

    /// <summary>Multicasts sent (queue batches, bursts and raw ones).</summary>
    public long MulticastsSent { get; init; }

    /// <summary>The <see cref="System.Net.Sockets.SocketError"/> of the last failed send, 0 when none failed.</summary>
    public long LastSendError { get; init; }

    /// <summary>
    /// Datagrams whose handling threw: a bug in the fake (hostile input must get the kernel's answer or be dropped).
    /// The fake counts it and goes on serving; tests expect 0.
    /// </summary>
    public long HandlerFaults { get; init; }

    /// <summary>The last such exception, as text, for the failure message.</summary>
    public string? LastHandlerFault { get; init; }

    /// <summary>One instance; an unknown name throws <see cref="ArgumentException"/>.</summary>
    public FakeInstanceSnapshot Instance(string name) =>
        Instances.TryGetValue(name, out var found) ? found : throw new ArgumentException($"The fake kernel has no instance '{name}'.", nameof(name));

    /// <summary>Received messages of <paramref name="family"/> with genl command <paramref name="cmd"/>.</summary>
    public IReadOnlyList<ReceivedMessage> ReceivedCommand(ushort family, byte cmd) =>
        Received.Where(m => m.Type == family && m.Command == cmd).ToList();
}
