using System.Buffers;
using System.Text;
using Joold.Plugins.Nats;

namespace Joold.Nats.Tests;

public sealed class PubAckDeserializerTests
{
    private static PubAck Read(string json) => PubAckDeserializer.Instance.Deserialize(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void An_acknowledgement_gives_its_sequence()
    {
        var ack = Read("""{"stream":"JOOLD","seq":12,"domain":"x"}""");
        Assert.Equal(new PubAck(12, false, 0, null), ack);
        Assert.False(ack.IsError);
    }

    [Fact]
    public void A_duplicate_is_an_acknowledgement_that_says_so()
    {
        var ack = Read("""{"stream":"JOOLD","seq":12,"duplicate":true}""");
        Assert.True(ack.Duplicate);
        Assert.False(ack.IsError);
    }

    [Fact]
    public void An_error_gives_its_code_and_description()
    {
        var ack = Read("""{"error":{"code":503,"err_code":10077,"description":"maximum messages exceeded"}}""");
        Assert.True(ack.IsError);
        Assert.Equal((503, "maximum messages exceeded"), (ack.ErrorCode, ack.Error));
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"seq\":")]
    [InlineData("{\"seq\":\"twelve\"}")]
    public void Anything_else_is_an_error(string json) => Assert.True(Read(json).IsError);
}
