namespace Joold.LoadTest;

/// <summary>How the fake kernel A emits batches.</summary>
internal enum LoadMode
{
    /// <summary>As the real kernel: full batches, ACK window of one, the queue always fed.</summary>
    Paced,

    /// <summary>Batches multicast back to back without waiting for ACKs: what overflows small receive buffers.</summary>
    Burst,
}
