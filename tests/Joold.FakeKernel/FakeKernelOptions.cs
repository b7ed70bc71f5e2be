namespace Joold.FakeKernel;

/// <summary>How to start a <see cref="FakeJoolKernel"/>.</summary>
public sealed record FakeKernelOptions
{
    /// <summary>The netlink port id to bind; 0 lets the kernel pick one. Point the plugin's "netlink peer" at it.</summary>
    public uint PortId { get; init; }

    /// <summary>The id the fake answers for family "Jool". Any value the real Jool is unlikely to get.</summary>
    public ushort FamilyId { get; init; } = 0x6A6F;

    /// <summary>
    /// The "joold" multicast group, 1 to 32 (user space can only send to those). 0 picks one no real generic
    /// netlink family uses and that this process has not given to another fake, after checking it can be joined.
    /// </summary>
    public uint GroupId { get; init; }

    /// <summary>The instances that exist from the start, with their settings.</summary>
    public IReadOnlyDictionary<string, FakeInstanceSettings> Instances { get; init; } =
        new Dictionary<string, FakeInstanceSettings> { ["default"] = new() };

    /// <summary>The fake's only clock: expirations, the flush deadline, the 2 s timer and the group picker's timeout.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
