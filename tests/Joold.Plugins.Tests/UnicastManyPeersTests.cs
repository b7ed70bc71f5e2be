using System.Net;
using System.Net.Sockets;
using Joold.Configuration;
using Joold.Plugins.Unicast;

namespace Joold.Plugins.Tests;

/// <summary>
/// Hundreds of thousands of peers: the repeat check and the sender filter must cost one lookup per peer or per
/// datagram, not a scan (20,000 peers took 1.8 s to validate, 400,000 about 7 minutes).
/// </summary>
public sealed class UnicastManyPeersTests
{
    private const string Source = "/etc/joold/unicast.json";
    private const int ManyPeers = 200_000;

    /// <summary>Distinct IPv4 peers 10.x.y.z:7001, in order.</summary>
    private static string[] PeerTexts(int count) =>
        [.. Enumerable.Range(1, count).Select(i => $"10.{(i >> 16) & 0xFF}.{(i >> 8) & 0xFF}.{i & 0xFF}:7001")];

    private static UnicastOptions Options(string?[] peers) => new() { Listen = "0.0.0.0:7000", Peers = peers };

    [Fact]
    public void Validating_200000_peers_asks_the_comparer_a_linear_number_of_times()
    {
        var comparer = new CountingComparer();

        var settings = UnicastSettings.FromOptions(Options(PeerTexts(ManyPeers)), Source, comparer);

        Assert.Equal(ManyPeers, settings.Peers.Count);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.3.13.64"), 7001), settings.Peers[ManyPeers - 1]);

        // One hash per peer; an equality test only where two hashes meet. A scan of the earlier peers, as before,
        // made about ManyPeers^2 / 2 = 2 * 10^10 equality tests.
        Assert.Equal(ManyPeers, comparer.Hashes);
        Assert.True(comparer.Equalities <= ManyPeers, $"{comparer.Equalities} equality tests for {ManyPeers} peers");
    }

    [Fact]
    public void A_repeat_far_down_a_long_list_names_both_positions_and_the_value()
    {
        var peers = PeerTexts(ManyPeers);
        peers[150_000] = peers[3];

        var error = Assert.Throws<JooldConfigException>(() => UnicastSettings.FromOptions(Options(peers), Source));

        Assert.Equal("peers[150000]", error.Key);
        Assert.Equal($"{Source}: 'peers[150000]' is \"10.0.0.4:7001\"; expected a peer not already listed (it repeats peers[3]).", error.Message);
    }

    [Fact]
    public void The_first_of_several_repeats_is_reported_against_its_first_listing()
    {
        string?[] peers = ["127.0.0.1:7001", "127.0.0.1:7002", "127.0.0.1:7002", "127.0.0.1:7001"];

        var error = Assert.Throws<JooldConfigException>(() => UnicastSettings.FromOptions(Options(peers), Source));

        Assert.Equal("peers[2]", error.Key);
        Assert.Contains("(it repeats peers[1])", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_repeat_is_the_same_address_and_port_so_other_ports_of_one_address_are_distinct_peers()
    {
        var settings = UnicastSettings.FromOptions(Options(["127.0.0.1:7001", "127.0.0.1:7002"]), Source);

        Assert.Equal(2, settings.Peers.Count);
    }

    [Theory]
    [InlineData(AddressFamily.InterNetwork)]
    [InlineData(AddressFamily.InterNetworkV6)]
    public void The_sender_filter_of_200000_peers_knows_each_address_and_no_other(AddressFamily socketFamily)
    {
        var peers = UnicastSettings.FromOptions(Options(PeerTexts(ManyPeers)), Source).Peers;
        var table = new PeerTable(peers, socketFamily);

        IPAddress InSocketFamily(string address) =>
            socketFamily == AddressFamily.InterNetworkV6 ? IPAddress.Parse(address).MapToIPv6() : IPAddress.Parse(address);

        // Any port: the filter looks at the address only.
        Assert.True(table.Contains(new IPEndPoint(InSocketFamily("10.0.0.1"), 40000).Serialize()));
        Assert.True(table.Contains(new IPEndPoint(InSocketFamily("10.3.13.64"), 7001).Serialize()));
        Assert.False(table.Contains(new IPEndPoint(InSocketFamily("10.3.13.65"), 7001).Serialize()));
        Assert.False(table.Contains(new IPEndPoint(InSocketFamily("192.0.2.1"), 7001).Serialize()));
        if (socketFamily == AddressFamily.InterNetworkV6)
        {
            // The same 4 bytes inside a native IPv6 address are another address.
            Assert.False(table.Contains(new IPEndPoint(IPAddress.Parse("::10.0.0.1"), 7001).Serialize()));
        }
    }

    private sealed class CountingComparer : IEqualityComparer<IPEndPoint>
    {
        public long Hashes { get; private set; }

        public long Equalities { get; private set; }

        public bool Equals(IPEndPoint? x, IPEndPoint? y)
        {
            Equalities++;
            return EqualityComparer<IPEndPoint>.Default.Equals(x, y);
        }

        public int GetHashCode(IPEndPoint obj)
        {
            Hashes++;
            return obj.GetHashCode();
        }
    }
}
