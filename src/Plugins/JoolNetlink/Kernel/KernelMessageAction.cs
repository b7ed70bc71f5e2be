namespace Joold.Plugins.JoolNetlink.Kernel;

/// <summary>What to do about one kernel message, as <see cref="KernelMessageInspector"/> decided.</summary>
/// <param name="Ack">Send one JOOLD_ACK for it (after forwarding, when <paramref name="Forward"/> is set too).</param>
/// <param name="Forward">Hand its session container to the relay.</param>
/// <param name="ContainerOffset">Where the container's payload starts, counted from the start of the message.</param>
/// <param name="ContainerLength">The container payload's length.</param>
internal readonly record struct KernelMessageAction(bool Ack = false, bool Forward = false, int ContainerOffset = 0, int ContainerLength = 0)
{
    /// <summary>Nothing to do: ignored, or answered a request.</summary>
    public static KernelMessageAction None => default;

    /// <summary>ACKed without forwarding: a message of ours too broken to forward.</summary>
    public static KernelMessageAction AckOnly => new(Ack: true);
}
