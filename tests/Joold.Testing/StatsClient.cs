using System.Net;
using System.Net.Sockets;
using System.Text;
using Joold.Stats;
using Joold.Testing.Namespaces;

namespace Joold.Testing;

/// <summary>
/// A real UDP client of a stats server, as an operator's <c>echo "" | nc -u HOST PORT</c> would be: one datagram out,
/// the reply's text back, parsed with <see cref="JooldStatsText.Parse"/> (strict: exactly C joold's six lines).
/// </summary>
public sealed class StatsClient : IDisposable
{
    private readonly byte[] _buffer = new byte[64 * 1024];

    /// <summary>A client bound to <paramref name="bindTo"/> (the loopback address of the family by default), port 0.</summary>
    public StatsClient(AddressFamily family, IPAddress? bindTo = null)
        : this(new Socket(family, SocketType.Dgram, ProtocolType.Udp))
    {
        Socket.Bind(new IPEndPoint(bindTo ?? (family == AddressFamily.InterNetwork ? IPAddress.Loopback : IPAddress.IPv6Loopback), 0));
    }

    private StatsClient(Socket socket)
    {
        Socket = socket;
    }

    public Socket Socket { get; }

    /// <summary>
    /// A client whose socket lives in the network namespace <paramref name="namespacePath"/> (/var/run/netns/NAME;
    /// ours when null), bound when it first sends.
    /// </summary>
    public static async Task<StatsClient> CreateInNamespaceAsync(string? namespacePath, AddressFamily family) =>
        new(await NetnsThread.CreateUdpSocketAsync(namespacePath, family).ConfigureAwait(false));

    /// <summary>Asks <paramref name="server"/> once, from a fresh socket in <paramref name="namespacePath"/> (ours when null).</summary>
    public static async Task<StatsSnapshot> QueryOnceAsync(IPEndPoint server, string? namespacePath = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        using var client = await CreateInNamespaceAsync(namespacePath, server.AddressFamily).ConfigureAwait(false);
        return await client.QueryStatsAsync(server).ConfigureAwait(false);
    }

    /// <summary>Sends <paramref name="request"/> (by default "\n", what <c>echo ""</c> sends) to <paramref name="server"/>.</summary>
    public Task SendAsync(IPEndPoint server, byte[]? request = null) =>
        Socket.SendToAsync(request ?? "\n"u8.ToArray(), SocketFlags.None, server);

    /// <summary>The next datagram this client receives, as text, and who sent it; fails at the deadline naming <paramref name="what"/>.</summary>
    public async Task<(string Text, IPEndPoint From)> ReceiveAsync(string what, TimeSpan? timeout = null)
    {
        var any = new IPEndPoint(Socket.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
        var result = await Socket.ReceiveFromAsync(_buffer, SocketFlags.None, any).WithTimeout(what, timeout).ConfigureAwait(false);
        return (Encoding.ASCII.GetString(_buffer, 0, result.ReceivedBytes), (IPEndPoint)result.RemoteEndPoint);
    }

    /// <summary>Sends a request and returns the reply's text, whatever it is.</summary>
    public async Task<string> QueryAsync(IPEndPoint server, byte[]? request = null)
    {
        await SendAsync(server, request).ConfigureAwait(false);
        return (await ReceiveAsync($"a stats reply from {server}").ConfigureAwait(false)).Text;
    }

    /// <summary>Sends a request and parses the reply; a reply that is not the six lines throws <see cref="FormatException"/>.</summary>
    public async Task<StatsSnapshot> QueryStatsAsync(IPEndPoint server) =>
        JooldStatsText.Parse(await QueryAsync(server).ConfigureAwait(false));

    public void Dispose() => Socket.Dispose();
}
