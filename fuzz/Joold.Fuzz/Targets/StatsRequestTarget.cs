using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Joold.Fuzz.Support;
using Joold.Plugins.StatsUdp;
using Joold.Stats;
using Microsoft.Extensions.Logging;

namespace Joold.Fuzz.Targets;

/// <summary>
/// The stats request path: the input is a request datagram, sent over loopback to a real <see cref="StatsUdpExporter"/>
/// (started once per process); it must answer with exactly one reply that <c>joold stats</c> reads back as the
/// counters it was given. The input is also read as a reply, as <c>joold stats</c> reads whatever comes back
/// (<see cref="JooldStatsText.TryParse(ReadOnlySpan{char}, out StatsSnapshot, out string?)"/>).
/// </summary>
internal sealed class StatsRequestTarget : IFuzzTarget
{
    private const int MaxUdpPayload = 65507;

    /// <summary>Generous: one loopback round trip takes microseconds; afl-fuzz's own timeout sits above it.</summary>
    private const int ReplyTimeoutMilliseconds = 3000;

    private readonly Lazy<Server> _server = new(Server.Start);
    private readonly byte[] _reply = new byte[2048];

    public string Name => "stats";

    public string Description => "StatsUdp: any request datagram gets one well-formed reply; reply text parsing";

    public void Run(ReadOnlySpan<byte> input)
    {
        var server = _server.Value;
        var expected = Counters(input);
        server.Statistics.Snapshot = expected;
        var request = input.Length > MaxUdpPayload ? input[..MaxUdpPayload] : input;
        server.Client.Send(request);
        int length = server.Client.Receive(_reply);
        FuzzCheck.That(JooldStatsText.TryParse(Encoding.ASCII.GetString(_reply, 0, length), out var received, out string? error), $"the reply is not a stats reply: {error}");
        FuzzCheck.That(received == expected, "the reply does not carry the counters");
        FuzzCheck.That(server.Client.Available == 0, "more than one reply to one request");

        if (JooldStatsText.TryParse(Encoding.ASCII.GetString(input), out var parsed, out _))
        {
            Span<byte> again = stackalloc byte[JooldStatsText.MaxLength];
            FuzzCheck.That(JooldStatsText.TryParse(Encoding.ASCII.GetString(again[..JooldStatsText.Write(parsed, again)]), out var reparsed) && reparsed == parsed, "a parsed reply does not survive writing and parsing again");
        }
    }

    public IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        yield return ("empty", []);
        yield return ("newline", "\n"u8.ToArray());
        var stats = new StatsSnapshot { KernelSentPackets = 4, KernelSentBytes = 160, NetSentPackets = 4, NetSentBytes = 160 };
        byte[] reply = new byte[JooldStatsText.MaxLength];
        yield return ("reply", reply[..JooldStatsText.Write(stats, reply)]);
        var largest = new StatsSnapshot { KernelSentPackets = long.MaxValue, KernelSentBytes = long.MaxValue, NetReceivedPackets = long.MaxValue, NetReceivedBytes = long.MaxValue, NetSentPackets = long.MaxValue, NetSentBytes = long.MaxValue };
        yield return ("largest-reply", reply[..JooldStatsText.Write(largest, reply)]);
    }

    /// <summary>Counters taken from the input's first bytes, so the reply's digits vary too; never negative, as counters are.</summary>
    private static StatsSnapshot Counters(ReadOnlySpan<byte> input)
    {
        Span<byte> seed = stackalloc byte[48];
        input[..Math.Min(input.Length, seed.Length)].CopyTo(seed);
        Span<long> values = stackalloc long[6];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadInt64LittleEndian(seed[(i * 8)..]) & long.MaxValue;
        }

        return new StatsSnapshot
        {
            KernelSentPackets = values[0],
            KernelSentBytes = values[1],
            NetReceivedPackets = values[2],
            NetReceivedBytes = values[3],
            NetSentPackets = values[4],
            NetSentBytes = values[5],
        };
    }

    private sealed class FixedStatistics : IJooldStatistics
    {
        public StatsSnapshot Snapshot { get; set; }

        public StatsSnapshot GetSnapshot() => Snapshot;
    }

    /// <summary>The exporter on a free loopback port, and one client socket connected to it.</summary>
    private sealed record Server(FixedStatistics Statistics, StatsUdpExporter Exporter, Socket Client)
    {
        public static Server Start()
        {
            var statistics = new FixedStatistics();
            // The rate limit is not what this target is about: at its highest, every request is answered.
            var options = new StatsUdpOptions { Address = "127.0.0.1", Port = 0, RepliesPerSecond = StatsUdpOptions.MaxRepliesPerSecond };
            var exporter = new StatsUdpExporter(options, statistics, new FormattingLogger<StatsUdpExporter>());
            exporter.StartAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = ReplyTimeoutMilliseconds };
            client.Connect(exporter.LocalEndPoints[0]);
            return new Server(statistics, exporter, client);
        }
    }
}
