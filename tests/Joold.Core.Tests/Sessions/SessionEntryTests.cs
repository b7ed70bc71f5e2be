using System.Buffers.Binary;
using System.Net;
using FsCheck.Xunit;
using Joold.Sessions;
using Joold.Testing;

namespace Joold.Core.Tests.Sessions;

public class SessionEntryTests
{
    [Fact]
    public void Encodes_the_spec_worked_example_byte_for_byte()
    {
        var payload = new byte[SessionEntry.SerializedSize];
        TestSessions.Example.Write(payload);
        Assert.Equal(TestSessions.ExamplePayload, payload);

        var attribute = new byte[SessionContainer.EntrySize];
        Assert.Equal(SessionContainer.EntrySize, SessionContainer.WriteEntry(attribute, TestSessions.Example));
        Assert.Equal(TestSessions.ExampleEntryBytes, attribute);
    }

    [Fact]
    public void Decodes_the_spec_worked_example()
    {
        var session = SessionEntry.Read(TestSessions.ExamplePayload);

        Assert.Equal(TestSessions.Example, session);
        Assert.Equal(IPAddress.Parse("2001:db8::8"), session.Source6);
        Assert.Equal(60927, session.Source6Port);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), session.Source4);
        Assert.Equal(62806, session.Source4Port);
        Assert.Equal(IPAddress.Parse("192.0.2.8"), session.Destination4);
        Assert.Equal(1234, session.Destination4Port);
        Assert.Equal(299_028u, session.ExpirationMilliseconds);
        Assert.Equal(L4Protocol.Udp, session.Protocol);
        Assert.Equal(0x0020, session.Packed);
    }

    [Theory]
    [InlineData(L4Protocol.Tcp, TcpState.Established, SessionTimer.Established, 0x0000)]
    [InlineData(L4Protocol.Tcp, TcpState.V4Init, SessionTimer.Syn4, 0x000A)]
    [InlineData(L4Protocol.Tcp, TcpState.Trans, SessionTimer.Transitory, 0x0019)]
    [InlineData(L4Protocol.Udp, TcpState.Established, SessionTimer.Established, 0x0020)]
    [InlineData(L4Protocol.Icmp, TcpState.Established, SessionTimer.Established, 0x0040)]
    public void Packs_protocol_state_and_timer_as_the_spec_lists(L4Protocol protocol, TcpState state, SessionTimer timer, int packed)
    {
        var session = TestSessions.Example with { Protocol = protocol, State = state, Timer = timer };
        Assert.Equal(packed, session.Packed);

        var payload = new byte[SessionEntry.SerializedSize];
        session.Write(payload);
        Assert.Equal(0x00, payload[34]);
        Assert.Equal(packed, BinaryPrimitives.ReadUInt16BigEndian(payload.AsSpan(34)));
        Assert.Equal(session, SessionEntry.Read(payload));
    }

    [Theory]
    [InlineData(0xFF80)]
    [InlineData(0x0080)]
    [InlineData(0x8000)]
    [InlineData(0x5A00)]
    public void Ignores_bits_7_to_15_of_the_packed_field_on_read(int highBits)
    {
        var payload = TestSessions.ExamplePayload;
        BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(34), (ushort)(highBits | 0x0019));

        var session = SessionEntry.Read(payload);

        Assert.Equal(L4Protocol.Tcp, session.Protocol);
        Assert.Equal(TcpState.Trans, session.State);
        Assert.Equal(SessionTimer.Transitory, session.Timer);
        Assert.Equal(0x0019, session.Packed);
        var container = Containers.WithPacked(TestSessions.ExampleEntryBytes, 0, (ushort)(highBits | 0x0019));
        Assert.True(SessionContainer.Validate(container).IsValid);
    }

    [Fact]
    public void Reading_fewer_than_36_bytes_is_an_argument_error()
    {
        var error = Assert.Throws<ArgumentException>(() => SessionEntry.Read(new byte[35]));
        Assert.Contains("36", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Writing_into_fewer_than_36_bytes_is_an_argument_error()
    {
        Assert.Throws<ArgumentException>(() => TestSessions.Example.Write(new byte[35]));
        Assert.Throws<ArgumentException>(() => SessionContainer.WriteEntry(new byte[39], TestSessions.Example));
    }

    [Fact]
    public void Writing_an_address_of_the_wrong_family_names_the_field()
    {
        var session = TestSessions.Example with { Source4 = IPAddress.Parse("2001:db8::1") };
        var error = Assert.Throws<ArgumentException>(() => session.Write(new byte[SessionEntry.SerializedSize]));
        Assert.Equal(nameof(SessionEntry.Source4), error.ParamName);

        session = TestSessions.Example with { Source6 = IPAddress.Parse("192.0.2.1") };
        error = Assert.Throws<ArgumentException>(() => session.Write(new byte[SessionEntry.SerializedSize]));
        Assert.Equal(nameof(SessionEntry.Source6), error.ParamName);
    }

    [Property(Arbitrary = [typeof(SessionArbitraries)])]
    public bool Every_valid_session_survives_a_round_trip(SessionEntry session)
    {
        var payload = new byte[SessionEntry.SerializedSize];
        session.Write(payload);
        return SessionEntry.Read(payload) == session && payload[34] == 0;
    }
}
