namespace Joold.Plugins.JoolNetlink.Jool;

/// <summary>The outcome of checking a Jool header the way both the kernel and joold do (spec 1.5).</summary>
internal enum JoolHeaderStatus
{
    Valid,

    /// <summary>The first 4 bytes are not "jool".</summary>
    BadMagic,

    /// <summary>major.minor (the top 16 bits of the big-endian version) differ from 4.1.</summary>
    VersionMismatch,

    /// <summary><c>xt &amp; XT_NAT64</c> is zero: the sender is not a NAT64 Jool.</summary>
    NotNat64,
}
