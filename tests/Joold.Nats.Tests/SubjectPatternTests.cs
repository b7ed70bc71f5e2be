using Joold.Plugins.Nats;

namespace Joold.Nats.Tests;

public sealed class SubjectPatternTests
{
    [Theory]
    [InlineData("joold.>", "joold.default.*", true)]
    [InlineData("joold.>", "joold.default.gw1", true)]
    [InlineData("joold.default.*", "joold.default.*", true)]
    [InlineData("joold.*.*", "joold.default.*", true)]
    [InlineData(">", "joold.default.*", true)]
    [InlineData("joold.default.gw1", "joold.default.*", false)]
    [InlineData("joold.other.*", "joold.default.*", false)]
    [InlineData("joold.*", "joold.default.*", false)]
    [InlineData("joold.default.*.x", "joold.default.*", false)]
    [InlineData("joold.>", "joold", false)]
    [InlineData("other.>", "joold.default.*", false)]
    public void A_stream_subject_covers_the_groups_subjects_or_not(string pattern, string subject, bool covers) =>
        Assert.Equal(covers, SubjectPattern.Covers(pattern, subject));
}
