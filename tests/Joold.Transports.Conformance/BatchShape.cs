namespace Joold.Transports.Conformance;

/// <summary>The sizes of batch every transport must carry unchanged.</summary>
public enum BatchShape
{
    /// <summary>One session: the kernel's first multicast after a quiet spell.</summary>
    OneEntry,

    /// <summary>36 sessions: what Jool packs into one full multicast.</summary>
    KernelBatch,

    /// <summary>As many whole entries as <see cref="TransportCapabilities.MaxBatchBytes"/> allows.</summary>
    Largest,
}
