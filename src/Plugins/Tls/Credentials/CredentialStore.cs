using System.Runtime.InteropServices;
using Joold.Configuration;
using Microsoft.Extensions.Logging;

namespace Joold.Plugins.Tls.Credentials;

/// <summary>
/// Holds the credentials in use and replaces them when the operator renews them: on SIGHUP, or when one of the
/// three files changes (debounced, so an editor's several writes make one reload). A reload that fails keeps the
/// current credentials and says why. Expiry is logged at start and checked twice a day, with a warning ahead.
/// </summary>
internal sealed class CredentialStore : IDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan ExpiryCheck = TimeSpan.FromHours(12);

    private readonly CredentialFiles _files;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TimeSpan _warning;
    private readonly Lock _reloadLock = new();
    private readonly List<FileSystemWatcher> _watchers = [];
    private TlsCredentials _current;
    private PosixSignalRegistration? _hangUp;
    private ITimer? _debounce;
    private ITimer? _expiry;
    private string _pendingTrigger = "";

    public CredentialStore(CredentialFiles files, TlsCredentials initial, ILogger logger, TimeProvider time, TimeSpan warning)
    {
        _files = files;
        _current = initial;
        _logger = logger;
        _time = time;
        _warning = warning;
    }

    /// <summary>After a reload that changed something.</summary>
    public event Action? Changed;

    public TlsCredentials Current => Volatile.Read(ref _current);

    /// <summary>Number of successful reloads that changed the credentials.</summary>
    public int Reloads { get; private set; }

    /// <summary>Logs the certificate's validity and starts watching for SIGHUP and file changes.</summary>
    public void Start()
    {
        CheckExpiry(atStart: true);
        _hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            // Handled: SIGHUP must not end the daemon.
            context.Cancel = true;
            Reload("SIGHUP");
        });
        var debounce = _time.CreateTimer(_ => Reload(Interlocked.Exchange(ref _pendingTrigger, "")), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _debounce = debounce;
        _expiry = _time.CreateTimer(_ => CheckExpiry(atStart: false), null, ExpiryCheck, ExpiryCheck);
        foreach (var directory in new[] { _files.Certificate, _files.Key, _files.Authorities }.GroupBy(Path.GetDirectoryName))
        {
            if (directory.Key is null || !Directory.Exists(directory.Key))
            {
                continue;
            }

            var watcher = new FileSystemWatcher(directory.Key)
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.CreationTime | NotifyFilters.Size,
            };
            var names = directory.Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
            FileSystemEventHandler onChange = (_, e) =>
            {
                if (names.Contains(e.Name ?? "") || (e is RenamedEventArgs renamed && names.Contains(renamed.OldName ?? "")))
                {
                    Interlocked.Exchange(ref _pendingTrigger, $"{e.FullPath} changed");
                    debounce.Change(Debounce, Timeout.InfiniteTimeSpan);
                }
            };
            watcher.Changed += onChange;
            watcher.Created += onChange;
            watcher.Renamed += (sender, e) => onChange(sender, e);
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
    }

    /// <summary>Reads the files again; keeps the current credentials when they are wrong or unchanged.</summary>
    public void Reload(string trigger)
    {
        lock (_reloadLock)
        {
            TlsCredentials loaded;
            try
            {
                loaded = CredentialLoader.Load(_files);
            }
            catch (JooldConfigException e)
            {
                Log.ReloadFailed(_logger, trigger, e.Message);
                return;
            }

            if (loaded.SameAs(Current))
            {
                Log.ReloadUnchanged(_logger, trigger);
                return;
            }

            // The old certificates are not disposed: handshakes in progress may still use them.
            Volatile.Write(ref _current, loaded);
            Reloads++;
            Log.Reloaded(_logger, trigger, loaded.Certificate.Subject, CertificateRules.Date(loaded.NotAfter));
            CheckExpiry(atStart: false);
        }

        Changed?.Invoke();
    }

    public void Dispose()
    {
        _hangUp?.Dispose();
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }

        _debounce?.Dispose();
        _expiry?.Dispose();
    }

    private void CheckExpiry(bool atStart)
    {
        var certificate = Current.Certificate;
        var now = _time.GetUtcNow();
        var left = certificate.NotAfter.ToUniversalTime() - now.UtcDateTime;
        string subject = certificate.Subject;
        string notAfter = CertificateRules.Date(certificate.NotAfter);
        string days = CredentialLoader.DaysLeft(certificate.NotAfter, now);
        if (left <= TimeSpan.Zero)
        {
            Log.CertificateExpired(_logger, subject, _files.Certificate, notAfter);
        }
        else if (left <= _warning)
        {
            Log.CertificateExpiresSoon(_logger, subject, _files.Certificate, notAfter, days);
        }
        else if (atStart)
        {
            Log.CertificateValidity(_logger, subject, _files.Certificate, notAfter, days);
        }
    }
}
