namespace Joold.FakeKernel;

/// <summary>One instance as it stood when the fake published a <see cref="FakeKernelSnapshot"/>.</summary>
/// <param name="Name">The instance name.</param>
/// <param name="Settings">Its session-sync globals.</param>
/// <param name="Stats">Its JSTAT_JOOLD_* counters.</param>
/// <param name="QueueCount">Sessions waiting in the joold queue.</param>
/// <param name="AckReceived">ACK_RECEIVED: the window is open.</param>
/// <param name="AdvertisementOngoing">AD_ONGOING.</param>
/// <param name="LoadRemaining">Sessions of the running load not yet queued.</param>
/// <param name="EnospcLogged">Whether "Too many sessions deferred!" was logged.</param>
/// <param name="SessionCount">Sessions in its database.</param>
public sealed record FakeInstanceSnapshot(
    string Name,
    FakeInstanceSettings Settings,
    JooldKernelStats Stats,
    int QueueCount,
    bool AckReceived,
    bool AdvertisementOngoing,
    long LoadRemaining,
    bool EnospcLogged,
    int SessionCount);
