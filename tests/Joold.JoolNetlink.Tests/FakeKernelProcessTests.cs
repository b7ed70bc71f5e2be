using Joold.FakeKernel;
using Joold.Sessions;
using Joold.Testing;
using Joold.Testing.Namespaces;

namespace Joold.JoolNetlink.Tests;

/// <summary>The fake kernel executable and its line protocol, in this namespace and inside a new one.</summary>
public sealed class FakeKernelProcessTests
{
    [Fact]
    public async Task The_executable_answers_commands_and_the_plugin_can_use_it()
    {
        string instance = TestSessions.UniqueInstance("p");
        await using var fake = await FakeKernelProcess.StartAsync(instance: instance, arguments: ["--max-sessions-per-packet", "2"], cancellationToken: TestContext.Current.CancellationToken);
        var counters = new Stats.JooldCounters();
        await using var channel = new Plugins.JoolNetlink.JoolNetlinkChannel(
            new Plugins.JoolNetlink.JoolNetlinkOptions { Instance = instance, NetlinkPeer = fake.PortId }, counters, new RecordingLogger<Plugins.JoolNetlink.JoolNetlinkChannel>());
        await channel.StartAsync(TestContext.Current.CancellationToken);
        var writer = new RecordingWriter();
        using var run = new CancellationTokenSource();
        var running = channel.RunAsync(writer, run.Token);

        byte[] injected = await fake.InjectRandomAsync(2, seed: 5, cancellationToken: TestContext.Current.CancellationToken);
        // The expirations are computed at send time on the fake's real clock: compare the sessions without them.
        string[] expected = SessionContainer.ReadAll(injected).Select(s => $"{s with { ExpirationMilliseconds = 0 }}").ToArray();
        await Eventually.WaitAsync(
            () => writer.Batches.Any(b => SessionContainer.ReadAll(b).Select(s => $"{s with { ExpirationMilliseconds = 0 }}").SequenceEqual(expected)),
            "the injected batch to reach the writer");
        await channel.SendAsync(new Relay.SessionBatch(TestSessions.Container(3, tag: 1), Relay.SessionSide.Peer), TestContext.Current.CancellationToken);

        var stats = await Eventually.ValueAsync(() => fake.GetStatsAsync(TestContext.Current.CancellationToken), s => s.PktRcvd == 1, "the ADD to reach the fake process");
        Assert.Equal(1, stats.PktSent);
        Assert.Equal(3, stats.SssRcvd);
        var database = await fake.GetDatabaseAsync(TestContext.Current.CancellationToken);
        Assert.Equal(5, database.Count);
        Assert.Contains(database, s => s.Source6.Equals(SessionContainer.ReadAll(injected)[0].Source6));
        var received = await fake.GetReceivedAsync(TestContext.Current.CancellationToken);
        Assert.Contains(received, m => m.Command == FakeJoolKernel.CmdJooldAck && m.SenderPortId == channel.PortId);
        await Assert.ThrowsAsync<InvalidOperationException>(() => fake.CommandAsync("bogus", TestContext.Current.CancellationToken));

        await run.CancelAsync();
        await running;
    }

    [Fact]
    public async Task Every_documented_command_is_understood()
    {
        await using var fake = await FakeKernelProcess.StartAsync(instance: "a", arguments: ["--instance", "b", "--capacity", "4", "--flush-deadline-ms", "600000"], cancellationToken: TestContext.Current.CancellationToken);
        var ct = TestContext.Current.CancellationToken;

        Assert.Equal(["instance a"], await fake.CommandAsync("instance", ct));
        await fake.CommandAsync("ss-enabled false", ct);
        await fake.InjectAsync(TestSessions.Container(2), ct);
        Assert.Equal(["queue 0"], await fake.CommandAsync("queue", ct));
        await fake.CommandAsync("ss-enabled true", ct);
        await fake.InjectAsync(TestSessions.Container(6, tag: 1), ct);
        Assert.Equal(["queue 4"], await fake.CommandAsync("queue", ct));
        Assert.Equal(2, (await fake.GetStatsAsync(ct)).SssEnospc);
        Assert.Equal(8, (await fake.GetDatabaseAsync(ct)).Count);
        await fake.CommandAsync("tick", ct);
        await fake.SetAckModeAsync(AckMode.Reject, ct);
        await fake.CommandAsync("force-error 1 Operation not permitted.", ct);
        await fake.CommandAsync("force-error off", ct);
        await fake.CommandAsync("multicast " + Convert.ToHexString(TestSessions.Container(1)), ct);
        await fake.CommandAsync("raw 010203", ct);
        await fake.CommandAsync("clear-received", ct);
        Assert.Empty(await fake.GetReceivedAsync(ct));
        Assert.Equal(["instance b"], await fake.CommandAsync("instance b", ct));
        Assert.Empty(await fake.GetDatabaseAsync(ct));
        await fake.CommandAsync("add-instance c", ct);
        await Assert.ThrowsAsync<InvalidOperationException>(() => fake.CommandAsync("inject 0102", ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => fake.CommandAsync("ack-mode sometimes", ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => fake.CommandAsync("inject-random", ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => fake.CommandAsync("inject-random -1", ct));
        Assert.Equal(["queue 0"], await fake.CommandAsync("queue", ct)); // still serving after the refusals
    }

    [Fact]
    public async Task Inside_a_network_namespace_it_starts_and_dispose_kills_it()
    {
        string ns = $"jnl-fk-{Environment.ProcessId}-{Random.Shared.Next(100000)}";
        await Command.RunCheckedAsync("ip", "netns", "add", ns);
        try
        {
            int pid;
            await using (var fake = await FakeKernelProcess.StartAsync(portId: 4242, instance: "nat64", networkNamespace: ns, cancellationToken: TestContext.Current.CancellationToken))
            {
                Assert.Equal(4242u, fake.PortId);
                pid = fake.ProcessId;
                await fake.InjectAsync(TestSessions.Container(1), TestContext.Current.CancellationToken);
                Assert.Single(await fake.GetDatabaseAsync(TestContext.Current.CancellationToken));
                Assert.NotEqual(NetnsOf("self"), NetnsOf(pid.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            Assert.False(Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal), "the process is gone after dispose");
        }
        finally
        {
            await Command.RunCheckedAsync("ip", "netns", "delete", ns);
        }
    }

    private static string NetnsOf(string pid) => new FileInfo($"/proc/{pid}/ns/net").LinkTarget ?? "";
}
