using FsCheck.Xunit;
using Joold.Sessions;
using Joold.Testing;

namespace Joold.Core.Tests.Sessions;

public class SessionContainerTests
{
    [Fact]
    public void A_full_batch_of_36_sessions_is_valid_and_decodes_in_order()
    {
        var container = TestSessions.Container(36);

        var validation = SessionContainer.Validate(container);

        Assert.Equal(new ContainerValidation(ContainerError.None, 36 * 40, 36), validation);
        Assert.Equal(1440, container.Length);
        Assert.Equal(TestSessions.Many(36), SessionContainer.ReadAll(container));
    }

    [Property(Arbitrary = [typeof(SessionArbitraries)])]
    public bool Every_list_of_valid_sessions_survives_a_container_round_trip(SessionEntry[] sessions)
    {
        var container = SessionContainer.Create(sessions);
        var validation = SessionContainer.Validate(container);
        bool validationAgrees = sessions.Length == 0
            ? validation.Error == ContainerError.Empty
            : validation.IsValid && validation.EntryCount == sessions.Length;
        return validationAgrees
            && container.Length == sessions.Length * SessionContainer.EntrySize
            && SessionContainer.ReadAll(container).SequenceEqual(sessions);
    }

    [Fact]
    public void Create_writes_little_endian_headers_without_flags_and_entry_payload_returns_each_session()
    {
        var container = TestSessions.Container(3);

        for (int i = 0; i < 3; i++)
        {
            Assert.Equal([0x28, 0x00, 0x01, 0x00], container.AsSpan(i * 40, 4).ToArray());
            Assert.Equal(TestSessions.Many(3)[i], SessionEntry.Read(SessionContainer.EntryPayload(container, i)));
        }
    }

    [Fact]
    public void An_empty_container_is_rejected_as_empty()
    {
        var validation = SessionContainer.Validate([]);

        Assert.Equal(new ContainerValidation(ContainerError.Empty, 0, 0), validation);
        Assert.False(validation.IsValid);
        Assert.Empty(SessionContainer.ReadAll([]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void An_entry_length_smaller_than_its_own_header_is_a_short_entry(int length)
    {
        var container = Containers.Attribute((ushort)length, SessionContainer.EntryType, TestSessions.ExamplePayload);

        Assert.Equal(new ContainerValidation(ContainerError.ShortEntry, 0, 0), SessionContainer.Validate(container));
    }

    [Theory]
    [InlineData(40, 35)]
    [InlineData(40, 0)]
    [InlineData(41, 36)]
    [InlineData(ushort.MaxValue, 36)]
    public void An_entry_length_beyond_the_container_is_a_short_entry(int length, int payloadBytes)
    {
        var container = Containers.Attribute((ushort)length, SessionContainer.EntryType, TestSessions.ExamplePayload.AsSpan(0, payloadBytes));

        Assert.Equal(new ContainerValidation(ContainerError.ShortEntry, 0, 0), SessionContainer.Validate(container));
    }

    [Fact]
    public void A_short_entry_after_whole_ones_is_reported_at_its_offset()
    {
        byte[] container = [.. TestSessions.Container(2), .. Containers.Attribute(40, SessionContainer.EntryType, new byte[10])];

        Assert.Equal(new ContainerValidation(ContainerError.ShortEntry, 80, 2), SessionContainer.Validate(container));
    }

    /// <summary>
    /// Jool compares nla_len with 36 instead of 40, so it takes 32 to 35-byte payloads and reads past them
    /// (spec 6.9). They must be refused here, also when more bytes follow that the over-read would consume.
    /// </summary>
    [Theory]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(34)]
    [InlineData(35)]
    public void Payloads_of_32_to_35_bytes_that_the_original_over_reads_are_a_wrong_length(int payloadBytes)
    {
        var entry = Containers.Attribute((ushort)(4 + payloadBytes), SessionContainer.EntryType, TestSessions.ExamplePayload.AsSpan(0, payloadBytes));
        byte[] followed = [.. entry, .. new byte[4]];
        byte[] afterValid = [.. TestSessions.ExampleEntryBytes, .. entry];

        Assert.Equal(new ContainerValidation(ContainerError.WrongLength, 0, 0), SessionContainer.Validate(entry));
        Assert.Equal(new ContainerValidation(ContainerError.WrongLength, 0, 0), SessionContainer.Validate(followed));
        Assert.Equal(new ContainerValidation(ContainerError.WrongLength, 40, 1), SessionContainer.Validate(afterValid));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(36)]
    [InlineData(44)]
    public void Any_other_entry_length_that_fits_is_a_wrong_length(int length)
    {
        var container = Containers.Attribute((ushort)length, SessionContainer.EntryType, new byte[Math.Max(length, 40) - 4]);

        Assert.Equal(new ContainerValidation(ContainerError.WrongLength, 0, 0), SessionContainer.Validate(container));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(0x8007)]
    public void An_entry_that_is_not_JNLAL_ENTRY_is_a_wrong_type(int type)
    {
        byte[] container = [.. TestSessions.ExampleEntryBytes, .. Containers.Attribute(40, (ushort)type, TestSessions.ExamplePayload)];

        Assert.Equal(new ContainerValidation(ContainerError.WrongType, 40, 1), SessionContainer.Validate(container));
    }

    [Theory]
    [InlineData(0x8001)]
    [InlineData(0x4001)]
    [InlineData(0xC001)]
    public void Flag_bits_on_the_entry_type_are_accepted(int type)
    {
        var container = Containers.Attribute(40, (ushort)type, TestSessions.ExamplePayload);

        Assert.Equal(new ContainerValidation(ContainerError.None, 40, 1), SessionContainer.Validate(container));
        Assert.Equal([TestSessions.Example], SessionContainer.ReadAll(container));
    }

    [Theory]
    [InlineData(0x0060)]
    [InlineData(0x0079)]
    [InlineData(0xFFE0)]
    public void Protocol_3_is_an_unknown_protocol(int packed)
    {
        var container = Containers.WithPacked(TestSessions.Container(2), 1, (ushort)packed);

        Assert.Equal(new ContainerValidation(ContainerError.UnknownProtocol, 40, 1), SessionContainer.Validate(container));
    }

    [Theory]
    [InlineData(0x0003)]
    [InlineData(0x0023)]
    [InlineData(0x0043)]
    [InlineData(0x001B)]
    public void Timer_3_is_an_unknown_timer(int packed)
    {
        var container = Containers.WithPacked(TestSessions.Container(2), 0, (ushort)packed);

        Assert.Equal(new ContainerValidation(ContainerError.UnknownTimer, 0, 0), SessionContainer.Validate(container));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void One_to_three_bytes_after_the_last_entry_are_trailing_bytes(int extra)
    {
        byte[] container = [.. TestSessions.Container(2), .. new byte[extra]];

        Assert.Equal(new ContainerValidation(ContainerError.TrailingBytes, 80, 2), SessionContainer.Validate(container));
        Assert.Equal(new ContainerValidation(ContainerError.TrailingBytes, 0, 0), SessionContainer.Validate(new byte[extra]));
    }

    [Fact]
    public void Every_error_is_described_with_its_offset()
    {
        Assert.Equal("3 sessions", new ContainerValidation(ContainerError.None, 120, 3).Describe());
        Assert.Equal("the container holds no session", new ContainerValidation(ContainerError.Empty, 0, 0).Describe());
        foreach (var error in Enum.GetValues<ContainerError>().Where(e => e is not (ContainerError.None or ContainerError.Empty)))
        {
            string text = new ContainerValidation(error, 80, 2).Describe();
            Assert.Contains("at byte 80", text, StringComparison.Ordinal);
            Assert.DoesNotContain(error.ToString(), text, StringComparison.Ordinal);
        }

        Assert.Contains("cut short", new ContainerValidation(ContainerError.ShortEntry, 0, 0).Describe(), StringComparison.Ordinal);
        Assert.Contains("40", new ContainerValidation(ContainerError.WrongLength, 0, 0).Describe(), StringComparison.Ordinal);
        Assert.Contains("JNLAL_ENTRY", new ContainerValidation(ContainerError.WrongType, 0, 0).Describe(), StringComparison.Ordinal);
        Assert.Contains("protocol 3", new ContainerValidation(ContainerError.UnknownProtocol, 0, 0).Describe(), StringComparison.Ordinal);
        Assert.Contains("timer type 3", new ContainerValidation(ContainerError.UnknownTimer, 0, 0).Describe(), StringComparison.Ordinal);
        Assert.StartsWith("2 whole sessions", new ContainerValidation(ContainerError.TrailingBytes, 80, 2).Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void ReadAll_refuses_a_malformed_container_with_the_description()
    {
        byte[] container = [.. TestSessions.Container(1), 0xFF];

        var error = Assert.Throws<InvalidDataException>(() => SessionContainer.ReadAll(container));

        Assert.Contains("stray bytes at byte 40", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_accepts_any_enumerable()
    {
        var lazy = TestSessions.Many(4).Select(s => s);

        Assert.Equal(TestSessions.Container(4), SessionContainer.Create(lazy));
        Assert.Throws<ArgumentNullException>(() => SessionContainer.Create(null!));
    }
}
