using System.Text;
using Joold.Sessions;

namespace Joold.FakeKernel;

/// <summary>
/// One Jool instance: its session database and its joold queue (spec 4.2 to 4.6). Every method runs under the fake
/// kernel's lock; <paramref name="multicast"/> is how a cut batch leaves.
/// </summary>
internal sealed class FakeInstance(string name, FakeInstanceSettings settings, Action<FakeInstance, IReadOnlyList<SessionEntry>> multicast)
{
    private readonly List<FakeSession> _queue = [];
    private bool _ackReceived = true;
    private bool _adOngoing;
    private long _lastFlushMs = long.MinValue;
    private bool _enospcLogged;
    private Func<FakeSession>? _loadGenerator;
    private long _loadRemaining;

    public string Name { get; } = name;

    /// <summary>The 16 bytes the kernel copies into multicast headers: the name, a NUL, then whatever follows.</summary>
    public byte[] NameBuffer { get; set; } = ToNameBuffer(name);

    public FakeInstanceSettings Settings { get; set; } = settings;

    public SessionDatabase Database { get; } = new();

    public JooldKernelStats Stats { get; private set; } = new();

    public int QueueCount => _queue.Count;

    public bool AckReceived => _ackReceived;

    public bool AdvertisementOngoing => _adOngoing;

    public static byte[] ToNameBuffer(string name)
    {
        var buffer = new byte[16];
        Encoding.ASCII.GetBytes(name.AsSpan(0, Math.Min(name.Length, 15)), buffer);
        return buffer;
    }

    /// <summary>A new queue starts with last_flush_time = now.</summary>
    public void Initialize(long nowMs) => _lastFlushMs = nowMs;

    /// <summary>Local traffic touched this session: update the DB, then joold_add a copy.</summary>
    public void Translate(in SessionEntry entry, long nowMs)
    {
        var session = Database.Translate(entry, nowMs);
        Enqueue(session, nowMs);
    }

    /// <summary>joold_add (spec 4.2).</summary>
    public void Enqueue(FakeSession session, long nowMs)
    {
        if (!Settings.Enabled)
        {
            return;
        }

        Count(s => s with { SssQueued = s.SssQueued + 1 });
        if (_queue.Count >= Settings.Capacity && !_adOngoing)
        {
            Count(s => s with { SssEnospc = s.SssEnospc + 1 });
            _enospcLogged = true;
            return;
        }

        _queue.Add(Copy(session));
        FlushIfNeeded(nowMs);
    }

    /// <summary>JOOLD_ACK (spec 4.4): the caller already checked the request and that SS is enabled.</summary>
    public void Ack(long nowMs)
    {
        _ackReceived = true;
        TopUpLoad();
        FlushIfNeeded(nowMs);
        Count(s => s with { Acks = s.Acks + 1 });
    }

    /// <summary>JOOLD_ADVERTISE (spec 4.5). Returns the error text, or null on success.</summary>
    public string? Advertise(long nowMs)
    {
        if (!Settings.Enabled)
        {
            return "Session sync is disabled on this instance.";
        }

        var all = Database.All().ToList();
        if (all.Count == 0)
        {
            return null;
        }

        if (_adOngoing)
        {
            return "joold advertisement already in progress.";
        }

        _adOngoing = true;
        _queue.AddRange(all.Select(Copy));
        FlushIfNeeded(nowMs);
        Count(s => s with { Ads = s.Ads + 1 });
        return null;
    }

    /// <summary>Sessions of the running load (see <see cref="StartLoad"/>) not yet put on the queue.</summary>
    public long LoadRemaining => _loadRemaining;

    /// <summary>
    /// Load generation: <paramref name="sessions"/> sessions from <paramref name="generator"/> are fed to the queue
    /// (bypassing the DB, as joold_add does) as fast as ACKs allow: after every ACK the queue is topped up to two
    /// full batches, so a full batch is always ready when the window opens.
    /// </summary>
    public void StartLoad(long sessions, Func<FakeSession> generator, long nowMs)
    {
        _loadGenerator = generator;
        _loadRemaining += sessions;
        TopUpLoad();
        FlushIfNeeded(nowMs);
    }

    /// <summary>Counts batches multicast outside the queue (the fake's burst), as if the queue had sent them.</summary>
    public void CountSentOutsideQueue(long batches, long sessions) =>
        Count(s => s with { SssSent = s.SssSent + sessions, PktSent = s.PktSent + batches });

    /// <summary>The 2 s timer's joold_clean.</summary>
    public void Tick(long nowMs)
    {
        if (Settings.Enabled)
        {
            FlushIfNeeded(nowMs);
        }
    }

    public void CountReceived(int entries) => Count(s => s with { SssRcvd = s.SssRcvd + entries, PktRcvd = s.PktRcvd + 1 });

    public void CountCollision() => Count(s => s with { Collisions = s.Collisions + 1 });

    private void TopUpLoad()
    {
        if (_loadGenerator is null || !Settings.Enabled)
        {
            return;
        }

        int target = 2 * Math.Max(Settings.MaxSessionsPerPacket, 1);
        long added = 0;
        while (_loadRemaining > 0 && _queue.Count < target)
        {
            _queue.Add(_loadGenerator());
            _loadRemaining--;
            added++;
        }

        if (added > 0)
        {
            Count(s => s with { SssQueued = s.SssQueued + added });
        }
    }

    /// <summary>Whether "Too many sessions deferred!" was logged (once per instance, like the kernel).</summary>
    public bool EnospcLogged => _enospcLogged;

    /// <summary>should_send (spec 4.3), then the cut and the multicast when it says so. One batch at most.</summary>
    private void FlushIfNeeded(long nowMs)
    {
        if (!ShouldSend(nowMs))
        {
            return;
        }

        int n = Math.Min(_queue.Count, Math.Max(Settings.MaxSessionsPerPacket, 0));
        var batch = _queue.GetRange(0, n);
        _queue.RemoveRange(0, n);
        _ackReceived = false;
        if (_queue.Count == 0)
        {
            _adOngoing = false;
        }

        _lastFlushMs = nowMs;
        if (n == 0)
        {
            // ss-max-sessions-per-packet = 0 stalls SS: nothing is cut, yet the flags are reset (spec 6.10).
            return;
        }

        Count(s => s with { SssSent = s.SssSent + n, PktSent = s.PktSent + 1 });
        multicast(this, batch.Select(s => s.Snapshot(nowMs)).ToList());
    }

    private bool ShouldSend(long nowMs)
    {
        if (_queue.Count == 0)
        {
            Count(s => s with { Empty = s.Empty + 1 });
            return false;
        }

        if (nowMs > _lastFlushMs + (long)Settings.FlushDeadline.TotalMilliseconds)
        {
            Count(s => s with { Timeout = s.Timeout + 1 });
            return true;
        }

        if (!_ackReceived)
        {
            Count(s => s with { MissingAck = s.MissingAck + 1 });
            return false;
        }

        if (_adOngoing)
        {
            Count(s => s with { AdOngoing = s.AdOngoing + 1 });
            return true;
        }

        if (_queue.Count >= Settings.MaxSessionsPerPacket)
        {
            Count(s => s with { PktFull = s.PktFull + 1 });
            return true;
        }

        Count(s => s with { Queuing = s.Queuing + 1 });
        return false;
    }

    private void Count(Func<JooldKernelStats, JooldKernelStats> update) => Stats = update(Stats);

    private static FakeSession Copy(FakeSession s) => new()
    {
        Protocol = s.Protocol,
        Source6 = s.Source6,
        Source6Port = s.Source6Port,
        Source4 = s.Source4,
        Source4Port = s.Source4Port,
        Destination4 = s.Destination4,
        Destination4Port = s.Destination4Port,
        State = s.State,
        Timer = s.Timer,
        ExpiresAtMs = s.ExpiresAtMs,
    };
}
