namespace Joold.Sessions;

/// <summary>Why a session container was rejected. The original over-reads on several of these (spec 6.9).</summary>
public enum ContainerError
{
    /// <summary>Nothing wrong: the container is valid.</summary>
    None = 0,

    /// <summary>The container holds no entry at all.</summary>
    Empty,

    /// <summary>An entry's nla_len runs past the end of the container, or is smaller than its own header.</summary>
    ShortEntry,

    /// <summary>An entry's nla_len is not 40 (4-byte header + 36-byte session).</summary>
    WrongLength,

    /// <summary>An entry's attribute type is not JNLAL_ENTRY (1).</summary>
    WrongType,

    /// <summary>The session's protocol is 3 (OTHER), which the kernel rejects.</summary>
    UnknownProtocol,

    /// <summary>The session's timer type is 3, which the kernel rejects.</summary>
    UnknownTimer,

    /// <summary>1 to 3 bytes follow the last entry: too few for an attribute header.</summary>
    TrailingBytes,
}
