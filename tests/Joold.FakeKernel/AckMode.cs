namespace Joold.FakeKernel;

/// <summary>What the fake does with a JOOLD_ACK.</summary>
public enum AckMode
{
    /// <summary>As Jool does (spec 4.4).</summary>
    Accept,

    /// <summary>Ignores it silently, as if it was lost.</summary>
    Drop,

    /// <summary>
    /// Answers every ACK with an error reply, as the kernel does when request_handle_start fails (spec 6.2): the
    /// setup for the ACK ping-pong loop of C joold.
    /// </summary>
    Reject,
}
