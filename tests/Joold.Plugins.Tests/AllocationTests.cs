using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Joold.Plugins.StatsUdp;
using Joold.Stats;
using Joold.Testing;

namespace Joold.Plugins.Tests;

[CollectionDefinition(nameof(AllocationTests), DisableParallelization = true)]
public sealed class AllocationCollection
{
}

/// <summary>
/// The stats server must not allocate per request in steady state (the transports' per-batch paths are measured by
/// the conformance suite, <see cref="UnicastConformanceTests"/>). Allocation is measured process-wide, so these tests
/// run alone, and code is optimized from the start (the project turns tiered compilation off: tier-0 code boxes
/// where optimized code does not). The test side is synchronous on its own thread, so what allocates is the code
/// under test. Rounds repeat until one is clean, to ride out runtime background work and the rare datagram a
/// busy loopback drops (a round that lost one does not count); the bound is far below one 24-byte object per
/// datagram.
/// </summary>
[Collection(nameof(AllocationTests))]
public sealed class AllocationTests(ITestOutputHelper output)
{
    private const int RoundSize = 1000;
    private const long AllowedBytesPerRound = RoundSize * 8;
    private const int LossTimeoutMilliseconds = 2000;
    private static readonly TimeSpan MeasureFor = TimeSpan.FromSeconds(15);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Serving_a_stats_request_allocates_nothing()
    {
        var counters = new JooldCounters();
        await using var exporter = new StatsUdpExporter(new StatsUdpOptions { Address = "127.0.0.1", Port = 0, RepliesPerSecond = StatsUdpOptions.MaxRepliesPerSecond }, counters, new RecordingLogger<StatsUdpExporter>());
        await exporter.StartAsync(Token);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = LossTimeoutMilliseconds };
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var server = exporter.LocalEndPoints[0].Serialize();
        var from = new SocketAddress(AddressFamily.InterNetwork);
        byte[] request = new byte[8];
        byte[] reply = new byte[1024];

        bool Query()
        {
            counters.NetSent(40);
            client.SendTo(request, SocketFlags.None, server);
            return TryReceive(client, reply, from);
        }

        long allocated = await LeastAllocatedRoundAsync(Query);
        output.WriteLine($"{allocated} bytes allocated for {RoundSize} requests");
        Assert.True(allocated < AllowedBytesPerRound, $"{allocated} bytes allocated for {RoundSize} requests in the best round");
    }

    /// <summary>False when nothing came within the socket's receive timeout (a datagram lost on a busy loopback).</summary>
    private static bool TryReceive(Socket socket, byte[] buffer, SocketAddress from)
    {
        try
        {
            socket.ReceiveFrom(buffer, SocketFlags.None, from);
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
        {
            return false;
        }
    }

    /// <summary>
    /// Runs a warm-up round, then measured rounds of <see cref="RoundSize"/> steps until one loses nothing and stays
    /// under the bound, or time is up; returns the least a lossless round allocated.
    /// </summary>
    private static async Task<long> LeastAllocatedRoundAsync(Func<bool> step)
    {
        bool RunRound()
        {
            bool lossless = true;
            for (int i = 0; i < RoundSize; i++)
            {
                lossless &= step();
            }

            return lossless;
        }

        await Task.Run(RunRound, Token).WithTimeout("the warm-up round");
        long least = long.MaxValue;
        var clock = Stopwatch.StartNew();
        for (int round = 1; least >= AllowedBytesPerRound && clock.Elapsed < MeasureFor; round++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: true);
            bool lossless = await Task.Run(RunRound, Token).WithTimeout($"measured round {round}");
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            if (lossless)
            {
                least = Math.Min(least, allocated);
            }
        }

        return least;
    }
}
