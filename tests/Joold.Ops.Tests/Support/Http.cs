using System.Net.Sockets;
using System.Text;

namespace Joold.Ops.Tests.Support;

/// <summary>Raw HTTP/1.1 requests, so a test controls the request line and Host header exactly.</summary>
internal static class Http
{
    public sealed record Response(int Status, string Head, string Body);

    public static async Task<Response> SendAsync(int port, string method, string path, string host = "127.0.0.1")
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await client.ConnectAsync("127.0.0.1", port, timeout.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{method} {path} HTTP/1.1\r\nHost: {host}\r\nAccept: */*\r\n\r\n"), timeout.Token);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string text = await reader.ReadToEndAsync(timeout.Token);
        int split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        string head = split < 0 ? text : text[..split];
        string body = split < 0 ? "" : text[(split + 4)..];
        int status = int.Parse(head.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        return new Response(status, head, body);
    }
}
