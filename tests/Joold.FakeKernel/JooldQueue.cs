using Joold.Sessions;

namespace Joold.FakeKernel;

/// <summary>
/// One instance's joold queue (spec 4.2 to 4.5): a FIFO of session copies, the ACK window of one, the flush deadline,
/// the advertisement flag, and the paced load generator that feeds it. Times are the fake's milliseconds, from its
/// <see cref="TimeProvider"/>. Not thread-safe: the kernel's lock guards it. <paramref name="send"/> is how a cut
/// batch leaves.
/// </summary>
internal sealed class JooldQueue(FakeInstanceSettings settings, JooldStatCounters stats, Action<IReadOnlyList<SessionEntry>> send)
{
    private readonly List<FakeSession> _queue = [];
    private bool _ackReceived = true;
    private bool _adOngoing;
    private long _lastFlushMs;
    private Func<FakeSession>? _loadGenerator;

    /// <summary>Sessions of the load a schedule has released (see <see cref="Release"/>); unbounded for paced loads.</summary>
    private long _loadReleased = long.MaxValue;

    public FakeInstanceSettings Settings { get; set; } = settings;

    public int Count => _queue.Count;

    public bool AckReceived => _ackReceived;

    public bool AdvertisementOngoing => _adOngoing;

    /// <summary>Sessions of the running load (see <see cref="StartLoad"/>) not yet put on the queue.</summary>
    public long LoadRemaining { get; private set; }

    /// <summary>Whether "Too many sessions deferred!" was logged (once per instance, like the kernel).</summary>
    public bool EnospcLogged { get; private set; }

    /// <summary>A new queue starts with ACK_RECEIVED set and last_flush_time = now.</summary>
    public void Initialize(long nowMs) => _lastFlushMs = nowMs;

    /// <summary>joold_add (spec 4.2): a copy of the session, unless SS is off or the queue is full.</summary>
    public void Add(FakeSession session, long nowMs)
    {
        if (!Settings.Enabled)
        {
            return;
        }

        stats.SssQueued++;
        if (_queue.Count >= Settings.Capacity && !_adOngoing)
        {
            stats.SssEnospc++;
            EnospcLogged = true;
            return;
        }

        _queue.Add(session.Copy());
        FlushIfNeeded(nowMs);
    }

    /// <summary>JOOLD_ACK (spec 4.4): the caller already checked the request and that SS is enabled.</summary>
    public void Ack(long nowMs)
    {
        _ackReceived = true;
        TopUpLoad();
        FlushIfNeeded(nowMs);
        stats.Acks++;
    }

    /// <summary>
    /// JOOLD_ADVERTISE's queue part (spec 4.5): appends every session regardless of capacity and flushes. False,
    /// with nothing done, when an advertisement is already running.
    /// </summary>
    public bool TryAdvertise(IReadOnlyList<FakeSession> sessions, long nowMs)
    {
        if (_adOngoing)
        {
            return false;
        }

        _adOngoing = true;
        _queue.AddRange(sessions.Select(s => s.Copy()));
        FlushIfNeeded(nowMs);
        stats.Ads++;
        return true;
    }

    /// <summary>
    /// Load generation: <paramref name="sessions"/> sessions from <paramref name="generator"/> are fed to the queue
    /// (bypassing the DB, as joold_add does) as fast as ACKs allow: after every ACK the queue is topped up to two
    /// full batches, so a full batch is always ready when the window opens.
    /// </summary>
    /// <remarks>
    /// With <paramref name="scheduled"/>, sessions go to the queue only as <see cref="Release"/> releases them (a
    /// fixed-rate load); a paced load lifts any schedule.
    /// </remarks>
    public void StartLoad(long sessions, Func<FakeSession> generator, long nowMs, bool scheduled = false)
    {
        _loadGenerator = generator;
        _loadReleased = scheduled ? 0 : long.MaxValue;
        LoadRemaining += sessions;
        TopUpLoad();
        FlushIfNeeded(nowMs);
    }

    /// <summary>A fixed-rate load's slot: <paramref name="sessions"/> more may go to the queue, and a batch may leave.</summary>
    public void Release(long sessions, long nowMs)
    {
        if (_loadReleased != long.MaxValue)
        {
            _loadReleased += sessions;
        }

        TopUpLoad();
        FlushIfNeeded(nowMs);
    }

    /// <summary>The 2 s timer's joold_clean.</summary>
    public void Clean(long nowMs)
    {
        if (Settings.Enabled)
        {
            FlushIfNeeded(nowMs);
        }
    }

    private void TopUpLoad()
    {
        if (_loadGenerator is null || !Settings.Enabled)
        {
            return;
        }

        int target = 2 * Math.Max(Settings.MaxSessionsPerPacket, 1);
        while (LoadRemaining > 0 && _queue.Count < target && _loadReleased > 0)
        {
            _queue.Add(_loadGenerator());
            LoadRemaining--;
            if (_loadReleased != long.MaxValue)
            {
                _loadReleased--;
            }

            stats.SssQueued++;
        }
    }

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

        // Counted before the multicast, as the kernel does: a send nobody hears still counts.
        stats.SssSent += n;
        stats.PktSent++;
        send(batch.ConvertAll(s => s.Snapshot(nowMs)));
    }

    private bool ShouldSend(long nowMs)
    {
        if (_queue.Count == 0)
        {
            stats.Empty++;
            return false;
        }

        if (nowMs > _lastFlushMs + (long)Settings.FlushDeadline.TotalMilliseconds)
        {
            stats.Timeout++;
            return true;
        }

        if (!_ackReceived)
        {
            stats.MissingAck++;
            return false;
        }

        if (_adOngoing)
        {
            stats.AdOngoing++;
            return true;
        }

        if (_queue.Count >= Settings.MaxSessionsPerPacket)
        {
            stats.PktFull++;
            return true;
        }

        stats.Queuing++;
        return false;
    }
}
