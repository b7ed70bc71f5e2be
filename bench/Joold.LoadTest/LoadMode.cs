namespace Joold.LoadTest;

/// <summary>How the fake kernel A emits batches.</summary>
internal enum LoadMode
{
    /// <summary>As the real kernel: full batches, ACK window of one, the queue always fed.</summary>
    Paced,

    /// <summary>Batches multicast back to back without waiting for ACKs: what overflows small receive buffers.</summary>
    Burst,

    /// <summary>
    /// One batch in flight end to end: kernel A multicasts the next batch only once kernel B has the previous one,
    /// so nothing queues anywhere and the latency is the path's own. Slow by design (one batch per round trip).
    /// </summary>
    Sequential,

    /// <summary>
    /// Fixed rate: kernel A releases one batch per slot of a drift-free schedule (<see cref="LoadOptions.Rate"/>
    /// batches/s) and still honours the ACK window (a batch leaves at its slot, or at the previous ACK when later),
    /// so both daemons are compared at the same rate.
    /// </summary>
    Rate,
}
