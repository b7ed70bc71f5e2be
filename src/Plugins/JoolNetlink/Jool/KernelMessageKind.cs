namespace Joold.Plugins.JoolNetlink.Jool;

/// <summary>What a message of the Jool family turned out to be, in the order joold checks (spec 5.5).</summary>
internal enum KernelMessageKind
{
    /// <summary>Shorter than nlmsghdr + genl + joolnlhdr (step 1): ACKed.</summary>
    TooShort,

    /// <summary>The Jool header is wrong (step 2): ACKed.</summary>
    BadHeader,

    /// <summary>Another instance's message (step 3): ignored, not ACKed.</summary>
    OtherInstance,

    /// <summary>The kernel reports an error (step 4): logged, never ACKed (C joold ACKs it, see spec 6.2).</summary>
    ErrorReply,

    /// <summary>The first attribute is not a session container (step 5): ACKed.</summary>
    NoContainer,

    /// <summary>A session batch for our instance (step 6): forwarded, then ACKed.</summary>
    Sessions,
}
