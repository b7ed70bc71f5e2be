using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Joold.Plugins.StatsUdp;
using Joold.Plugins.Unicast;
using Joold.Relay;
using Joold.Stats;
using Joold.Testing;

namespace Joold.Plugins.Tests;

[CollectionDefinition(nameof(AllocationTests), DisableParallelization = true)]
public sealed class AllocationCollection
{
}

/// <summary>
/// The per-datagram paths must not allocate in steady state. Allocation is measured process-wide, so these tests
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
        await using var exporter = new StatsUdpExporter(new StatsUdpOptions { Address = "127.0.0.1", Port = 0 }, counters, new RecordingLogger<StatsUdpExporter>());
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

    [Fact]
    public async Task Receiving_and_sending_unicast_datagrams_allocates_nothing()
    {
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = LossTimeoutMilliseconds };
        peer.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        await using var transport = new UnicastTransport(
            new UnicastSettings(new IPEndPoint(IPAddress.Loopback, 0), [(IPEndPoint)peer.LocalEndPoint!], null),
            new RecordingLogger<UnicastTransport>());
        await transport.StartAsync(Token);
        var writer = new CountingWriter();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);
        var run = Task.Run(() => transport.RunAsync(writer, stop.Token), Token);
        var to = transport.LocalEndPoint!.Serialize();
        var from = new SocketAddress(AddressFamily.InterNetwork);
        byte[] batch = TestSessions.Batch(36);
        byte[] buffer = new byte[UnicastTransport.ReceiveBufferLength];
        var outgoing = new SessionBatch(batch, SessionSide.Local);

        // Peer -> transport -> writer, then transport (as a sink) -> peer.
        bool Exchange()
        {
            peer.SendTo(batch, SocketFlags.None, to);
            bool received = writer.WaitForNext(LossTimeoutMilliseconds);
            var sent = transport.SendAsync(outgoing, Token);
            Assert.True(sent.IsCompletedSuccessfully ? sent.Result : sent.AsTask().GetAwaiter().GetResult());
            return TryReceive(peer, buffer, from) && received;
        }

        long allocated = await LeastAllocatedRoundAsync(Exchange);

        await stop.CancelAsync();
        await run.WithTimeout("the receive loop to stop");
        output.WriteLine($"{allocated} bytes allocated for {RoundSize} datagrams each way");
        Assert.True(allocated < AllowedBytesPerRound, $"{allocated} bytes allocated for {RoundSize} datagrams each way in the best round");
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

    /// <summary>Takes every batch and counts it; the test waits for each with a blocking wait, which allocates nothing.</summary>
    private sealed class CountingWriter : ISessionBatchWriter
    {
        private readonly SemaphoreSlim _arrived = new(0);

        public ValueTask<RelayResult> WriteAsync(ReadOnlyMemory<byte> entries, CancellationToken cancellationToken)
        {
            _arrived.Release();
            return ValueTask.FromResult(RelayResult.Accepted);
        }

        /// <summary>False when no batch arrived within the timeout.</summary>
        public bool WaitForNext(int timeoutMilliseconds) => _arrived.Wait(timeoutMilliseconds, TestContext.Current.CancellationToken);
    }
}
