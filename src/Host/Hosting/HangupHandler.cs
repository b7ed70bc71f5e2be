using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Joold.Host.Hosting;

/// <summary>
/// SIGHUP (sent after editing a configuration, by logrotate, or when a terminal closes) would end the process at
/// once, without draining; instead it is logged and otherwise ignored. joold does not reload its configuration: a
/// restart applies changes (a plugin may watch SIGHUP for its own files, as Tls does for its certificates).
/// Registered before the plugins load, so it covers the whole life of the daemon.
/// </summary>
internal sealed class HangupHandler : IDisposable
{
    private readonly PosixSignalRegistration _registration;
    private ILogger? _logger;

    public HangupHandler()
    {
        _registration = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnHangup);
    }

    /// <summary>Where to log from now on; before, a SIGHUP is ignored silently (the log does not exist yet).</summary>
    public void Attach(ILogger logger) => Volatile.Write(ref _logger, logger);

    public void Dispose() => _registration.Dispose();

    private void OnHangup(PosixSignalContext context)
    {
        context.Cancel = true;
        if (Volatile.Read(ref _logger) is { } logger)
        {
            HostLog.HangupIgnored(logger);
        }
    }
}
