using Joold.Sessions;

namespace Joold.Testing.Tests;

public class TestSessionsTests
{
    [Fact]
    public void Many_gives_distinct_valid_sessions_the_same_for_the_same_arguments()
    {
        var sessions = TestSessions.Many(500, tag: 3);

        Assert.Equal(500, sessions.Select(s => s.Source6).Distinct().Count());
        Assert.Equal(sessions, TestSessions.Many(500, tag: 3));
        Assert.Empty(sessions.Select(s => s.Source6).Intersect(TestSessions.Many(500, tag: 4).Select(s => s.Source6)));
        Assert.True(SessionContainer.Validate(TestSessions.Container(36, tag: 3)).IsValid);
        Assert.Equal([L4Protocol.Tcp, L4Protocol.Udp, L4Protocol.Icmp], sessions.Take(3).Select(s => s.Protocol));
    }

    [Fact]
    public void Unique_never_repeats_a_session_and_never_meets_Many()
    {
        var first = SessionContainer.ReadAll(TestSessions.Unique(36));
        var second = SessionContainer.ReadAll(TestSessions.Unique(36));
        var sources = first.Concat(second).Select(s => s.Source6).ToList();

        Assert.Equal(72, sources.Distinct().Count());
        Assert.Empty(sources.Intersect(TestSessions.Many(100).Select(s => s.Source6)));
    }

    [Fact]
    public void Garbage_is_refused_and_the_worked_example_is_its_spec_bytes()
    {
        Assert.False(SessionContainer.Validate(TestSessions.Garbage(100)).IsValid);
        Assert.Equal(TestSessions.ExampleEntryBytes, SessionContainer.Create([TestSessions.Example]));
        Assert.NotEqual(TestSessions.UniqueInstance(), TestSessions.UniqueInstance());
        Assert.InRange(TestSessions.UniqueInstance("prefix").Length, 1, 15);
    }
}
