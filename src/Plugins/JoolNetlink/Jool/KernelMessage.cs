using System.Text;
using Joold.Netlink;
using static Joold.Netlink.Interop.Netlink;
using static Joold.Plugins.JoolNetlink.Interop.Jool;

namespace Joold.Plugins.JoolNetlink.Jool;

/// <summary>
/// A message of the Jool family, classified as spec 5.5 orders the checks. Pure parsing, no side effects: the
/// caller decides whether to forward, log and ACK. Every offset is checked against the message length first.
/// </summary>
internal readonly ref struct KernelMessage
{
    private KernelMessage(KernelMessageKind kind, JoolHeaderStatus headerStatus, ReadOnlySpan<byte> header, ReadOnlySpan<byte> attributes, ReadOnlySpan<byte> container)
    {
        Kind = kind;
        HeaderStatus = headerStatus;
        Header = header;
        Attributes = attributes;
        Container = container;
    }

    public KernelMessageKind Kind { get; }

    /// <summary>For <see cref="KernelMessageKind.BadHeader"/>: what was wrong.</summary>
    public JoolHeaderStatus HeaderStatus { get; }

    /// <summary>The 28-byte Jool header, when the message is long enough to have one.</summary>
    public ReadOnlySpan<byte> Header { get; }

    /// <summary>Every byte after the Jool header.</summary>
    public ReadOnlySpan<byte> Attributes { get; }

    /// <summary>For <see cref="KernelMessageKind.Sessions"/>: the container's payload (the N 40-byte entries).</summary>
    public ReadOnlySpan<byte> Container { get; }

    /// <summary>The header's instance name as a C string ("default" when empty).</summary>
    public ReadOnlySpan<byte> InstanceName => Header.IsEmpty ? default : JoolHeader.InstanceName(Header);

    /// <summary>Whether the instance matched our name only when compared without case (spec 5.8).</summary>
    public bool CaseOnlyMismatch { get; init; }

    /// <summary>
    /// Classifies <paramref name="message"/>, which must already be known to carry the Jool family id.
    /// <paramref name="instanceName"/> is ours, compared byte for byte like the kernel does.
    /// </summary>
    public static KernelMessage Inspect(in NetlinkMessage message, ReadOnlySpan<byte> instanceName)
    {
        ReadOnlySpan<byte> payload = message.Payload;
        if (payload.Length < GENL_HDRLEN + JOOLNL_HDRLEN)
        {
            return new KernelMessage(KernelMessageKind.TooShort, default, default, default, default);
        }

        ReadOnlySpan<byte> header = payload.Slice(GENL_HDRLEN, JOOLNL_HDRLEN);
        ReadOnlySpan<byte> attributes = payload[(GENL_HDRLEN + JOOLNL_HDRLEN)..];
        var status = JoolHeader.Check(header);
        if (status != JoolHeaderStatus.Valid)
        {
            return new KernelMessage(KernelMessageKind.BadHeader, status, header, attributes, default);
        }

        ReadOnlySpan<byte> theirs = JoolHeader.InstanceName(header);
        if (!theirs.SequenceEqual(instanceName))
        {
            return new KernelMessage(KernelMessageKind.OtherInstance, status, header, attributes, default)
            {
                CaseOnlyMismatch = Ascii.EqualsIgnoreCase(theirs, instanceName),
            };
        }

        if ((JoolHeader.Flags(header) & JOOLNLHDR_FLAGS_ERROR) != 0)
        {
            return new KernelMessage(KernelMessageKind.ErrorReply, status, header, attributes, default);
        }

        // Step 5 looks at the first attribute only; its nla_len must fit in what is left.
        var first = new NetlinkAttributeEnumerator(attributes);
        if (!first.MoveNext() || first.Current.Type != JNLAR_SESSION_ENTRIES)
        {
            return new KernelMessage(KernelMessageKind.NoContainer, status, header, attributes, default);
        }

        return new KernelMessage(KernelMessageKind.Sessions, status, header, attributes, first.Current.Payload);
    }

    /// <summary>JNLAERR_CODE of an error reply (a positive errno), or null when absent.</summary>
    public int? ErrorCode =>
        NetlinkAttributeEnumerator.TryFind(Attributes, JNLAERR_CODE, out var code) && code.Length >= 2 ? BitConverter.ToUInt16(code) : null;

    /// <summary>JNLAERR_MSG of an error reply, or "(no message)". Allocates: only call it to log or report.</summary>
    public string ErrorMessage =>
        NetlinkAttributeEnumerator.TryFind(Attributes, JNLAERR_MSG, out var text) ? ToPrintable(text) : "(no message)";

    /// <summary>Text from the kernel, cut at its NUL, with anything unprintable replaced, so it is safe to log.</summary>
    public static string ToPrintable(ReadOnlySpan<byte> text)
    {
        int end = text.IndexOf((byte)0);
        ReadOnlySpan<byte> content = end < 0 ? text : text[..end];
        var builder = new StringBuilder(content.Length);
        foreach (byte b in content)
        {
            builder.Append(b is >= 0x20 and < 0x7F ? (char)b : '?');
        }

        return builder.ToString();
    }
}
