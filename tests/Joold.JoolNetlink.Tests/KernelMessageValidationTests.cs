using System.Buffers.Binary;
using System.Text;
using Joold.FakeKernel;
using Joold.Relay;
using Joold.Stats;
using Joold.Testing;

namespace Joold.JoolNetlink.Tests;

/// <summary>
/// Every check of spec 5.5 with one malformed message each, plus hostile lengths. Each case is followed by a valid
/// sentinel batch: once the sentinel is forwarded and ACKed, the case was handled (messages are handled in order),
/// so the counts can be asserted exactly.
/// </summary>
public sealed class KernelMessageValidationTests
{
    public static TheoryData<string> Cases => new(Expectations.Keys);

    private static readonly Dictionary<string, (bool Forwarded, bool Acked, bool Malformed)> Expectations = new()
    {
        ["too short for the Jool header"] = (false, true, true),
        ["bad magic"] = (false, true, true),
        ["major version differs"] = (false, true, true),
        ["minor version differs"] = (false, true, true),
        ["revision and dev differ"] = (true, true, false),
        ["translator is SIIT"] = (false, true, true),
        ["translator has the NAT64 bit among others"] = (true, true, false),
        ["error flag"] = (false, false, false),
        ["no attribute"] = (false, true, true),
        ["first attribute is not the container"] = (false, true, true),
        ["container without NLA_F_NESTED"] = (true, true, false),
        ["genl command and version are not looked at"] = (true, true, false),
        ["nlmsg_len beyond the datagram"] = (false, false, true),
        ["nlmsg_len below the header"] = (false, false, true),
        ["three stray bytes"] = (false, false, true),
        ["container nla_len beyond the message"] = (false, true, true),
        ["container nla_len of 0"] = (false, true, true),
        ["another family's message"] = (false, false, false),
        ["two messages in one datagram"] = (true, true, false),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_rule_forwards_acks_and_counts_as_the_spec_says(string name)
    {
        await using var h = await PluginHarness.StartAsync();
        var (forwarded, acked, malformed) = Expectations[name];
        byte[] container = TestSessions.Container(2, tag: 7);

        h.Fake.MulticastRaw(Build(name, h, container));
        await h.SentinelAsync();

        int expectedBatches = (forwarded ? (name == "two messages in one datagram" ? 2 : 1) : 0) + 1;
        int expectedAcks = (acked ? (name == "two messages in one datagram" ? 2 : 1) : 0) + 1;
        Assert.Equal(expectedBatches, h.Writer.Batches.Count);
        Assert.Equal(expectedAcks, h.Channel.AcksSent);
        await Eventually.WaitAsync(() => h.AcksReceived == expectedAcks, $"{expectedAcks} ACKs at the fake");
        Assert.Equal(malformed ? 1 : 0, h.Channel.MalformedMessages);
        Assert.Equal(malformed ? 1 : 0, h.Counters.GetSnapshot().InvalidLocal);
        if (forwarded)
        {
            Assert.Equal(container, h.Writer.Batches[0]);
        }

        if (malformed)
        {
            Assert.Single(h.Logger.WithId(306));
        }
    }

    [Fact]
    public async Task An_error_reply_is_logged_with_the_kernel_text_and_instance_and_never_acked()
    {
        await using var h = await PluginHarness.StartAsync();
        var header = new byte[28];
        "jool"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), 0x04010F00);
        header[8] = 2;
        Encoding.ASCII.GetBytes(h.Instance).CopyTo(header.AsSpan(12));

        h.Fake.MulticastRaw(KernelMessages.ErrorReply(h.Fake.FamilyId, 0, 0, header, 22, "Something is wrong."));
        await h.SentinelAsync();

        Assert.Equal(1, h.Channel.AcksSent);
        var log = Assert.Single(h.Logger.WithId(307));
        Assert.Contains("error 22", log.Message, StringComparison.Ordinal);
        Assert.Contains("Something is wrong.", log.Message, StringComparison.Ordinal);
        Assert.Contains(h.Instance, log.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Messages_from_a_port_id_other_than_the_peer_are_ignored()
    {
        await using var h = await PluginHarness.StartAsync();
        await using var intruder = await FakeJoolKernel.StartAsync(new FakeKernelOptions { GroupId = h.Fake.GroupId, FamilyId = h.Fake.FamilyId }, TestContext.Current.CancellationToken);

        intruder.MulticastSessions(h.Instance, TestSessions.Container(2, tag: 8));
        await h.SentinelAsync();

        Assert.Single(h.Writer.Batches);
        Assert.Equal(1, h.Channel.AcksSent);

        // Another user-space peer on the same group is expected (fake kernels share groups): debug, not a warning.
        Assert.Empty(h.Logger.WithId(313));
        Assert.Contains($"port id {intruder.PortId}", Assert.Single(h.Logger.WithId(322)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_flood_of_hostile_messages_neither_crashes_nor_stalls_the_plugin()
    {
        await using var h = await PluginHarness.StartAsync();
        var random = new Random(1234);
        for (int i = 0; i < 300; i++)
        {
            var message = new byte[random.Next(0, 200)];
            random.NextBytes(message);
            if (message.Length >= 6 && i % 2 == 0)
            {
                // Half of them claim the Jool family, to get past the type check.
                BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), h.Fake.FamilyId);
                BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)random.Next(0, message.Length + 8));
            }

            h.Fake.MulticastRaw(message);
        }

        await h.SentinelAsync();

        Assert.False(h.RunTask.IsCompleted);
        Assert.True(h.Channel.MalformedMessages > 0);
    }

    private static byte[] Build(string name, PluginHarness h, byte[] container)
    {
        ushort family = h.Fake.FamilyId;
        byte[] nameBuffer = new byte[16];
        Encoding.ASCII.GetBytes(h.Instance, nameBuffer);
        byte[] Shape(MulticastShape shape) => KernelMessages.Multicast(family, nameBuffer, container, shape);
        byte[] valid = Shape(MulticastShape.Kernel);
        switch (name)
        {
            case "too short for the Jool header":
                var shortMessage = valid[..(16 + 4 + 27)];
                BinaryPrimitives.WriteUInt32LittleEndian(shortMessage, (uint)shortMessage.Length);
                return shortMessage;
            case "bad magic": return Shape(new MulticastShape { Magic = "JOOL" });
            case "major version differs": return Shape(new MulticastShape { Version = 0x05010F00 });
            case "minor version differs": return Shape(new MulticastShape { Version = 0x04020F00 });
            case "revision and dev differ": return Shape(new MulticastShape { Version = 0x0401FF07 });
            case "translator is SIIT": return Shape(new MulticastShape { Translator = 1 });
            case "translator has the NAT64 bit among others": return Shape(new MulticastShape { Translator = 3 });
            case "error flag": return Shape(new MulticastShape { Flags = 0x01 });
            case "no attribute": return Shape(new MulticastShape { IncludeContainer = false });
            case "first attribute is not the container": return Shape(new MulticastShape { ContainerType = 0x8006 });
            case "container without NLA_F_NESTED": return Shape(new MulticastShape { ContainerType = 0x0007 });
            case "genl command and version are not looked at": return Shape(new MulticastShape { GenlCommand = 27, GenlVersion = 9 });
            case "nlmsg_len beyond the datagram":
                BinaryPrimitives.WriteUInt32LittleEndian(valid, (uint)valid.Length + 100);
                return valid;
            case "nlmsg_len below the header":
                BinaryPrimitives.WriteUInt32LittleEndian(valid, 15);
                return valid;
            case "three stray bytes": return [1, 2, 3];
            case "container nla_len beyond the message":
                BinaryPrimitives.WriteUInt16LittleEndian(valid.AsSpan(48), 0xFFFF);
                return valid;
            case "container nla_len of 0":
                BinaryPrimitives.WriteUInt16LittleEndian(valid.AsSpan(48), 0);
                return valid;
            case "another family's message":
                BinaryPrimitives.WriteUInt16LittleEndian(valid.AsSpan(4), (ushort)(family + 1));
                return valid;
            case "two messages in one datagram":
                return [.. valid, .. valid];
            default:
                throw new ArgumentException(name);
        }
    }
}
