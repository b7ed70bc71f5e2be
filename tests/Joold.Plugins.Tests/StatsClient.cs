using System.Net;
using System.Net.Sockets;
using System.Text;
using Joold.Testing;

namespace Joold.Plugins.Tests;

/// <summary>A real UDP client of the stats server, as an operator's <c>nc -u</c> would be.</summary>
public sealed class StatsClient : IDisposable
{
    private readonly byte[] _buffer = new byte[4096];

    public StatsClient(AddressFamily family, IPAddress? bindTo = null)
    {
        Socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        Socket.Bind(new IPEndPoint(bindTo ?? (family == AddressFamily.InterNetwork ? IPAddress.Loopback : IPAddress.IPv6Loopback), 0));
    }

    public Socket Socket { get; }

    public Task SendAsync(IPEndPoint server, byte[]? request = null) =>
        Socket.SendToAsync(request ?? [], SocketFlags.None, server);

    /// <summary>The next datagram this client receives, as text, and who sent it.</summary>
    public async Task<(string Text, IPEndPoint From)> ReceiveAsync(string what)
    {
        var result = await Socket.ReceiveFromAsync(_buffer, SocketFlags.None, new IPEndPoint(Socket.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0))
            .WithTimeout(what);
        return (Encoding.ASCII.GetString(_buffer, 0, result.ReceivedBytes), (IPEndPoint)result.RemoteEndPoint);
    }

    public async Task<string> QueryAsync(IPEndPoint server, byte[]? request = null)
    {
        await SendAsync(server, request);
        return (await ReceiveAsync($"a stats reply from {server}")).Text;
    }

    public void Dispose() => Socket.Dispose();
}
