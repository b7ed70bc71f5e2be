using System.Net;
using System.Net.Sockets;
using Joold.Configuration;
using Joold.Diagnostics;
using Joold.Sockets;
using Joold.Stats;
using Microsoft.Extensions.Logging;

namespace Joold.Plugins.StatsUdp;

/// <summary>
/// C joold's stats server (spec 5.7). The address and port are resolved like
/// <c>getaddrinfo(address, port, AF_UNSPEC, SOCK_DGRAM, AI_PASSIVE)</c> and every distinct result gets its own
/// socket, without SO_REUSEADDR. IPv6 sockets are dual-stack, as Linux's default (bindv6only = 0) makes them in C,
/// so "::" answers IPv4 clients too; "0.0.0.0" is IPv4 only. Any datagram, even an empty one, gets exactly one
/// reply: the six counter lines of <see cref="JooldStatsText"/>, up to <see cref="StatsUdpOptions.RepliesPerSecond"/>
/// per source address (a bucket per source, <see cref="SourceRateLimiter"/>); what exceeds it gets none and is
/// counted in <see cref="RefusedRequests"/>.
/// </summary>
public sealed class StatsUdpExporter : IStatsExporter
{
    private readonly StatsUdpOptions _options;
    private readonly IJooldStatistics _statistics;
    private readonly ILogger<StatsUdpExporter> _logger;
    private readonly TimeProvider _time;
    private readonly SourceRateLimiter _limiter;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();
    private StatsListener[] _listeners = [];
    private Task[] _loops = [];
    private bool _started;
    private bool _disposed;

    public StatsUdpExporter(StatsUdpOptions options, IJooldStatistics statistics, ILogger<StatsUdpExporter> logger, TimeProvider? time = null)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _statistics = statistics ?? throw new ArgumentNullException(nameof(statistics));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = time ?? TimeProvider.System;
        _limiter = new SourceRateLimiter(options.RepliesPerSecond, options.RepliesPerSecond, _time);
        Name = $"stats udp {EndPointText.Format(options.Address, options.Port)}";
    }

    public string Name { get; }

    /// <summary>Requests that got no reply because their source was over its rate.</summary>
    public long RefusedRequests => _limiter.Refused;

    /// <summary>Every address and port bound, once started (the real port when 0 was asked for).</summary>
    public IReadOnlyList<IPEndPoint> LocalEndPoints
    {
        get
        {
            lock (_lock)
            {
                return Array.ConvertAll(_listeners, l => l.LocalEndPoint);
            }
        }
    }

    /// <summary>
    /// Resolves, binds every socket and starts one receive loop per socket. A failure binds nothing and leaves the
    /// exporter unstarted; a second call after a successful one does nothing.
    /// </summary>
    public async ValueTask StartAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_started)
            {
                return;
            }
        }

        var addresses = await ResolveAsync(cancellationToken).ConfigureAwait(false);
        var listeners = new List<StatsListener>(addresses.Length);
        try
        {
            foreach (var address in addresses)
            {
                listeners.Add(new StatsListener(Bind(new IPEndPoint(address, _options.Port), _options.Address), _statistics, _limiter, _options.RepliesPerSecond, _logger, _time));
            }
        }
        catch
        {
            listeners.ForEach(l => l.Dispose());
            throw;
        }

        lock (_lock)
        {
            if (_disposed || _started)
            {
                // Disposed while resolving, or another start won: what this one opened is not needed.
                listeners.ForEach(l => l.Dispose());
                ObjectDisposedException.ThrowIf(_disposed, this);
                return;
            }

            _listeners = [.. listeners];
            _loops = Array.ConvertAll(_listeners, l => Task.Run(() => l.RunAsync(_stop.Token), CancellationToken.None));
            _started = true;
        }

        foreach (var listener in listeners)
        {
            Log.Listening(_logger, listener.LocalEndPoint.ToString());
        }
    }

    /// <summary>Stops the loops and closes the sockets. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        StatsListener[] listeners;
        Task[] loops;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            listeners = _listeners;
            loops = _loops;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var listener in listeners)
        {
            listener.Dispose();
        }

        await Task.WhenAll(loops).ConfigureAwait(false);
        _stop.Dispose();
    }

    private static Socket Bind(IPEndPoint endPoint, string configured)
    {
        Socket? socket = null;
        try
        {
            socket = new Socket(endPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            if (endPoint.AddressFamily == AddressFamily.InterNetworkV6)
            {
                // IPV6_V6ONLY = 0, stated rather than left to the system default, so "::" serves IPv4 clients too.
                socket.DualMode = true;
            }

            LocalBind.Bind(socket, endPoint);
            return socket;
        }
        catch (SocketException e)
        {
            socket?.Dispose();
            throw new InvalidOperationException($"cannot bind the stats server to UDP {endPoint} ('{StatsUdpOptions.AddressKey}' \"{configured}\", '{StatsUdpOptions.PortKey}' {endPoint.Port}): {SocketText.Describe(e)}", e);
        }
    }

    /// <summary>The distinct addresses getaddrinfo would give: a literal as is, a name through the resolver.</summary>
    private async ValueTask<IPAddress[]> ResolveAsync(CancellationToken cancellationToken)
    {
        if (IPAddress.TryParse(_options.Address, out var literal))
        {
            return [literal];
        }

        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(_options.Address, AddressFamily.Unspecified, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new InvalidOperationException($"cannot resolve the stats address '{_options.Address}': {SocketText.Describe(e)}", e);
        }

        addresses = addresses.Where(a => a.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6).Distinct().ToArray();
        return addresses.Length > 0
            ? addresses
            : throw new InvalidOperationException($"the stats address '{_options.Address}' resolves to no IPv4 or IPv6 address");
    }
}
