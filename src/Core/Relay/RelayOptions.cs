namespace Joold.Relay;

/// <summary>Tuning of the relay itself.</summary>
public sealed class RelayOptions
{
    /// <summary>
    /// Batches each sink may have waiting. Defaults to 4096 (about 6 MiB of full batches): far more than the
    /// kernel's whole joold queue (512 sessions), so only a stuck sink can fill it, and what it then refuses is
    /// counted as dropped rather than growing memory without bound.
    /// </summary>
    public int SinkQueueCapacity { get; set; } = 4096;

    /// <summary>How long a graceful stop waits for queued batches to reach their sinks. Defaults to 5 s.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
