using System.Reflection;
using System.Text;
using Joold.Fuzz.Support;
using Joold.Netlink;
using Joold.Plugins.JoolNetlink;
using Joold.Plugins.JoolNetlink.Jool;
using Joold.Plugins.JoolNetlink.Kernel;
using Joold.Sessions;
using Joold.Stats;
using Microsoft.Extensions.Logging;
using static Joold.Netlink.Interop.Netlink;
using static Joold.Plugins.JoolNetlink.Interop.Jool;

namespace Joold.Fuzz.Targets;

/// <summary>
/// A datagram from the kernel, through JoolNetlink's <see cref="KernelMessageInspector"/> exactly as the receive loop
/// walks it (message by message, moving on by what it consumed), with every log line formatted; then each message
/// through <see cref="KernelMessage"/> and the reply reader <see cref="JoolReply"/>. What it forwards must lie inside
/// the message and be what the relay then checks.
/// </summary>
internal sealed class KernelMessageTarget : IFuzzTarget
{
    /// <summary>The family id the fake connection resolved: the seeds use it, the fuzzer finds others.</summary>
    public const ushort FamilyId = 0x22;

    private static readonly byte[] Instance = Encoding.ASCII.GetBytes(INAME_DEFAULT);
    private readonly Lazy<KernelMessageInspector> _inspector = new(CreateInspector);

    public string Name => "kernel";

    public string Description => "JoolNetlink's kernel message inspection (ACK rule), Jool headers and replies";

    public void Run(ReadOnlySpan<byte> input)
    {
        var inspector = _inspector.Value;
        int offset = 0;
        while (offset < input.Length)
        {
            var rest = input[offset..];
            var action = inspector.Inspect(rest, out int consumed);
            FuzzCheck.That(consumed > 0 && consumed <= rest.Length, $"consumed {consumed} of {rest.Length} bytes: the receive loop would stall or overrun");
            if (action.Forward)
            {
                FuzzCheck.That(action.Ack, "a batch forwarded without its ACK");
                FuzzCheck.That(action.ContainerOffset >= JOOL_ATTRS_OFFSET && action.ContainerLength >= 0 && action.ContainerOffset + action.ContainerLength <= consumed, "the container lies outside its message");
                _ = SessionContainer.Validate(rest.Slice(action.ContainerOffset, action.ContainerLength));
            }

            offset += consumed;
        }

        foreach (var message in new NetlinkMessageEnumerator(input))
        {
            var inspected = KernelMessage.Inspect(message, Instance);
            _ = inspected.InstanceName.Length;
            _ = inspected.ErrorCode;
            _ = inspected.ErrorMessage;
            _ = JoolReply.From(message);
        }
    }

    private delegate void AttributeWriter(ref NetlinkMessageWriter writer);

    public IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        byte[] container = SessionContainer.Create([]);
        byte[] one = new SessionContainerTarget().Seeds().First().Bytes;
        yield return ("sessions", JoolMessage(INAME_DEFAULT, 0, (ref w) => w.WriteAttribute(JNLAR_SESSION_ENTRIES | NLA_F_NESTED, one)));
        yield return ("empty-container", JoolMessage(INAME_DEFAULT, 0, (ref w) => w.WriteAttribute(JNLAR_SESSION_ENTRIES, container)));
        yield return ("other-instance", JoolMessage("DEFAULT", 0, (ref w) => w.WriteAttribute(JNLAR_SESSION_ENTRIES, one)));
        yield return ("error-reply", JoolMessage(INAME_DEFAULT, JOOLNLHDR_FLAGS_ERROR, (ref w) =>
        {
            w.WriteAttributeU16(JNLAERR_CODE, 22);
            w.WriteAttributeString(JNLAERR_MSG, "Invalid argument");
        }));
        yield return ("two-messages", [.. JoolMessage(INAME_DEFAULT, 0, (ref w) => w.WriteAttribute(JNLAR_SESSION_ENTRIES, one)), .. JoolMessage(INAME_DEFAULT, 0, (ref w) => w.WriteAttributeU8(JNLAIS_STATUS, IHS_ALIVE))]);
    }

    /// <summary>A multicast of family "Jool" (seq 0): genl header, Jool header, then attributes.</summary>
    private static byte[] JoolMessage(string instance, byte flags, AttributeWriter attributes)
    {
        byte[] buffer = new byte[512];
        var writer = new NetlinkMessageWriter(buffer, FamilyId, 0, 0, 0);
        writer.WriteGenericHeader(JNLOP_JOOLD_ADD, JOOLNL_REQUEST_GENL_VERSION);
        JoolHeader.Write(writer.Reserve(JOOLNL_HDRLEN), Encoding.ASCII.GetBytes(instance), XT_NAT64, flags);
        attributes(ref writer);
        return writer.Finish().ToArray();
    }

    /// <summary>
    /// Builds the inspector the plugin builds, over a real (unbound, unjoined) netlink socket: the connection's
    /// constructor is private because only <see cref="KernelConnection.OpenAsync"/> resolves the family, so the
    /// family id is set as the resolution would.
    /// </summary>
    private static KernelMessageInspector CreateInspector()
    {
        var options = new JoolNetlinkOptions();
        var time = new SteppingTime();
        var limits = new KernelLogLimits(time);
        var counters = new JooldCounters();
        var constructor = typeof(KernelConnection).GetConstructor(
            BindingFlags.Instance | BindingFlags.NonPublic,
            [typeof(NetlinkSocket), typeof(JoolNetlinkOptions), typeof(ITransportCounters), typeof(ILogger), typeof(TimeProvider), typeof(KernelLogLimits)])
            ?? throw new InvalidOperationException("KernelConnection's constructor changed: update the kernel fuzz target.");
        var connection = (KernelConnection)constructor.Invoke([NetlinkSocket.Open(), options, counters, FormattingLogger.Instance, time, limits]);
        var familyId = typeof(KernelConnection).GetField("_familyId", BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException("KernelConnection no longer keeps the family id in '_familyId': update the kernel fuzz target.");
        familyId.SetValue(connection, FamilyId);
        return new KernelMessageInspector(options, connection, counters, FormattingLogger.Instance, limits);
    }
}
