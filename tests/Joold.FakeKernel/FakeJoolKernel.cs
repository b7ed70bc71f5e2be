using System.Net.Sockets;
using Joold.Netlink;
using Joold.Sessions;
using static Joold.FakeKernel.JoolDefinitions;
using static Joold.Netlink.Interop.Netlink;

namespace Joold.FakeKernel;

/// <summary>
/// Plays the Jool 4.1.15 module over a real NETLINK_GENERIC socket (spec section 4): takes datagrams apart
/// (<see cref="RequestDispatcher"/>), answers nlctrl for "Jool" (<see cref="NetlinkController"/>), checks and
/// handles Jool requests (<see cref="JoolCommandHandlers"/>), keeps each instance's joold queue with its ACK window,
/// deadline and 2 s timer (<see cref="JooldQueue"/>), multicasts batches in the kernel's exact format, and records
/// everything it receives byte for byte. One lock serializes all of it, as the genl mutex and the queue lock do in
/// the kernel; after every change the fake publishes an immutable <see cref="Snapshot"/>, which tests read without
/// locking. Time comes from <see cref="FakeKernelOptions.Time"/> only.
/// </summary>
public sealed class FakeJoolKernel : IAsyncDisposable
{
    public const byte CmdInstanceHello = JNLOP_INSTANCE_HELLO;
    public const byte CmdJooldAdd = JNLOP_JOOLD_ADD;
    public const byte CmdJooldAdvertise = JNLOP_JOOLD_ADVERTISE;
    public const byte CmdJooldAck = JNLOP_JOOLD_ACK;

    /// <summary>A receive buffer for the largest request: attribute lengths are 16 bits.</summary>
    private const int DatagramBufferSize = 64 * 1024;

    /// <summary>Where a request's genl command is: after the 16-byte nlmsghdr.</summary>
    private const int GenlCommandOffset = 16;

    /// <summary>Room for bursts of requests and for the copies of our own multicasts, so senders never get EAGAIN.</summary>
    private const int SocketReceiveBufferSize = 16 * 1024 * 1024;

    private readonly Lock _gate = new();
    private readonly KernelSocket _socket;
    private readonly KernelState _state;
    private readonly RequestDispatcher _dispatcher;
    private readonly CancellationTokenSource _stop = new();
    private readonly bool _groupPicked;
    private FakeKernelSnapshot _snapshot = FakeKernelSnapshot.Empty;
    private long _version;
    private ITimer? _timer;
    private Task _receiveLoop = Task.CompletedTask;
    private LoadSessions? _loadSessions;
    private List<ScheduledLoad> _scheduledLoads = [];

    private FakeJoolKernel(NetlinkSocket socket, ushort family, uint group, bool groupPicked, TimeProvider time)
    {
        _socket = new KernelSocket(socket, group);
        _state = new KernelState(family, time);
        _dispatcher = new RequestDispatcher(_state, _socket, new NetlinkController(_socket, family, group), new JoolCommandHandlers(_state, _socket));
        GroupId = group;
        _groupPicked = groupPicked;
    }

    /// <summary>The port id the fake listens on: the plugin's "netlink peer".</summary>
    public uint PortId => _socket.PortId;

    public ushort FamilyId => _state.FamilyId;

    public uint GroupId { get; }

    /// <summary>Everything observable, frozen at the last change: read it once to get values that belong together.</summary>
    public FakeKernelSnapshot Snapshot => Volatile.Read(ref _snapshot);

    /// <summary>The fake's clock in milliseconds since start.</summary>
    public long NowMs => _state.NowMs;

    /// <summary>What to do with JOOLD_ACKs.</summary>
    public AckMode AckMode
    {
        get => Snapshot.AckMode;
        set => Change(state => state.AckMode = value);
    }

    /// <summary>When set, every HELLO, ADVERTISE and ADD is answered with this error reply instead.</summary>
    public (int Errno, string Message)? ForcedError
    {
        get => Snapshot.ForcedError;
        set => Change(state => state.ForcedError = value);
    }

    /// <summary>Whether received messages are kept for <see cref="Received"/> (true by default; load runs turn it off).</summary>
    public bool Recording
    {
        get => Snapshot.Recording;
        set => Change(state => state.Recording = value);
    }

    /// <summary>
    /// Latency stamps for the load tool (see <see cref="LatencyStamps"/>): from now on, notes the clock of up to
    /// <paramref name="capacity"/> session multicasts sent and JOOLD_ADDs received, forgetting earlier ones.
    /// </summary>
    public void StartStamps(int capacity)
    {
        lock (_gate)
        {
            _socket.Stamps.Start(capacity);
        }
    }

    /// <summary>Stops noting stamps and returns them, one <c>stamp sent|added KEY TICKS</c> line each.</summary>
    public IReadOnlyList<string> StopStamps()
    {
        lock (_gate)
        {
            _socket.Stamps.Stop();
            return [.. _socket.Stamps.Lines()];
        }
    }

    /// <summary>Session multicasts sent (raw ones included).</summary>
    public long MulticastsSent => Snapshot.MulticastsSent;

    /// <summary>The last error of a failed send (0 when none failed).</summary>
    public long LastSendError => Snapshot.LastSendError;

    /// <summary>A copy of every message received so far.</summary>
    public IReadOnlyList<ReceivedMessage> Received => Snapshot.Received;

    /// <summary>Binds the socket, picks the group and starts answering.</summary>
    public static async Task<FakeJoolKernel> StartAsync(FakeKernelOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new FakeKernelOptions();
        if (options.GroupId > MulticastGroupPicker.HighestSendableGroup)
        {
            throw new ArgumentException($"The fake's group must be 1 to {MulticastGroupPicker.HighestSendableGroup}: user space can only send to those.", nameof(options));
        }

        var socket = NetlinkSocket.Open(NETLINK_GENERIC, options.PortId);
        try
        {
            socket.SetReceiveBuffer(SocketReceiveBufferSize);
            uint group = options.GroupId;
            if (group == 0)
            {
                group = await MulticastGroupPicker.PickAsync(socket, options.Time, cancellationToken).ConfigureAwait(false);
            }

            var kernel = new FakeJoolKernel(socket, options.FamilyId, group, options.GroupId == 0, options.Time);
            foreach (var (name, settings) in options.Instances)
            {
                kernel.AddInstance(name, settings);
            }

            kernel._timer = options.Time.CreateTimer(_ => kernel.Tick(), null, CleanTimerPeriod, CleanTimerPeriod);
            kernel._receiveLoop = Task.Run(() => kernel.ReceiveLoopAsync(kernel._stop.Token), CancellationToken.None);
            return kernel;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>From now on, requests with this genl command are dropped without any answer (to test timeouts).</summary>
    public void Ignore(byte cmd) => Change(state => state.IgnoredCommands = state.IgnoredCommands.Add(cmd));

    public void AddInstance(string name, FakeInstanceSettings? settings = null) => Change(state =>
    {
        var instance = new FakeInstance(name, settings ?? new FakeInstanceSettings(), SendBatch);
        instance.Queue.Initialize(state.NowMs);
        state.Instances[name] = instance;
    });

    public void RemoveInstance(string name) => Change(state => state.Instances.Remove(name));

    public void Configure(string instance, Func<FakeInstanceSettings, FakeInstanceSettings> change) => Change(state =>
    {
        var target = state.Get(instance);
        target.Settings = change(target.Settings);
    });

    /// <summary>The 16 bytes copied into multicast headers (to test names with garbage after the NUL).</summary>
    public void SetNameBuffer(string instance, byte[] buffer) => Change(state => state.Get(instance).NameBuffer = buffer);

    /// <summary>Sessions as local traffic would touch them: into the DB, then onto the joold queue, one by one.</summary>
    public void Inject(string instance, IEnumerable<SessionEntry> sessions) => Change(state =>
    {
        var target = state.Get(instance);
        foreach (var session in sessions)
        {
            target.Translate(session, state.NowMs);
        }
    });

    /// <summary>Injects <paramref name="count"/> random valid sessions and returns them.</summary>
    public IReadOnlyList<SessionEntry> InjectRandom(string instance, int count, int? seed = null)
    {
        var sessions = RandomSessions.Create(count, seed);
        Inject(instance, sessions);
        return sessions;
    }

    /// <summary>
    /// Paced load, as the real kernel under steady traffic: sets ss-max-sessions-per-packet to
    /// <paramref name="sessionsPerBatch"/> and feeds <paramref name="batches"/> full batches of generated sessions
    /// to the joold queue as fast as ACKs allow (window of one). Returns at once; <see cref="LoadRemaining"/> and
    /// the stats tell the progress.
    /// </summary>
    public void StartLoad(string instance, long batches, int sessionsPerBatch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batches);
        ArgumentOutOfRangeException.ThrowIfLessThan(sessionsPerBatch, 1);
        Change(state =>
        {
            var target = state.Get(instance);
            target.Settings = target.Settings with { MaxSessionsPerPacket = sessionsPerBatch };
            var sessions = _loadSessions ??= new LoadSessions();
            target.Queue.StartLoad(batches * sessionsPerBatch, () => sessions.NextQueued(state.NowMs), state.NowMs);
        });
    }

    /// <summary>
    /// Fixed-rate load: as <see cref="StartLoad"/>, but one batch's worth of sessions is released to the queue at
    /// each slot of a schedule of <paramref name="batchesPerSecond"/> (a thread of its own, monotonic clock, no
    /// drift); a batch still leaves only once the previous one was acknowledged. Returns at once.
    /// </summary>
    public void StartScheduledLoad(string instance, long batches, int sessionsPerBatch, int batchesPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batches);
        ArgumentOutOfRangeException.ThrowIfLessThan(sessionsPerBatch, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchesPerSecond);
        Change(state =>
        {
            var target = state.Get(instance);
            target.Settings = target.Settings with { MaxSessionsPerPacket = sessionsPerBatch };
            var sessions = _loadSessions ??= new LoadSessions();
            target.Queue.StartLoad(batches * sessionsPerBatch, () => sessions.NextQueued(state.NowMs), state.NowMs, scheduled: true);
        });
        var load = ScheduledLoad.Start(batches, batchesPerSecond, due => Change(state => state.Get(instance).Queue.Release(due * sessionsPerBatch, state.NowMs)), _stop.Token);
        lock (_gate)
        {
            _scheduledLoads = [.. _scheduledLoads.Where(l => l.IsRunning), load];
        }
    }

    /// <summary>Sessions of the running load not yet queued.</summary>
    public long LoadRemaining(string instance) => Snapshot.Instance(instance).LoadRemaining;

    /// <summary>
    /// Burst: multicasts <paramref name="batches"/> batches of <paramref name="sessionsPerBatch"/> generated
    /// sessions back to back, without waiting for ACKs (bypassing the queue and its window), as fast as sendto
    /// goes. The messages are built first, so the burst itself is only the sends. Counted in PktSent/SssSent.
    /// Returns how many sends failed.
    /// </summary>
    public int Burst(string instance, int batches, int sessionsPerBatch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(batches);
        ArgumentOutOfRangeException.ThrowIfLessThan(sessionsPerBatch, 1);
        byte[][] messages = Change(state =>
        {
            var target = state.Get(instance);
            var sessions = _loadSessions ??= new LoadSessions();
            var entries = new SessionEntry[sessionsPerBatch];
            var built = new byte[batches][];
            for (int b = 0; b < batches; b++)
            {
                for (int i = 0; i < sessionsPerBatch; i++)
                {
                    entries[i] = sessions.NextEntry();
                }

                built[b] = KernelMessages.Multicast(FamilyId, target.NameBuffer, SessionContainer.Create(entries));
            }

            target.CountSentOutsideQueue(batches, (long)batches * sessionsPerBatch);
            return built;
        });

        // One send per lock, so requests arriving meanwhile are still served.
        int failed = 0;
        foreach (byte[] message in messages)
        {
            lock (_gate)
            {
                _socket.Multicast(message);
                failed += Commit();
            }
        }

        return failed;
    }

    /// <summary>What the 2 s timer does: joold_clean on every instance.</summary>
    public void Tick() => Change(state =>
    {
        foreach (var instance in state.Instances.Values)
        {
            instance.Queue.Clean(state.NowMs);
        }
    });

    public JooldKernelStats GetStats(string instance) => Snapshot.Instance(instance).Stats;

    public int QueueCount(string instance) => Snapshot.Instance(instance).QueueCount;

    /// <summary>
    /// Every session in the instance's database, as it would serialize now. Not part of the snapshot (copying the
    /// whole database after every request would slow load runs down), but copied at one instant under the lock.
    /// </summary>
    public IReadOnlyList<SessionEntry> GetDatabase(string instance)
    {
        lock (_gate)
        {
            long now = _state.NowMs;
            return _state.Get(instance).Database.All().Select(s => s.Snapshot(now)).ToList();
        }
    }

    /// <summary>Received messages of the Jool family with this genl command.</summary>
    public IReadOnlyList<ReceivedMessage> ReceivedCommand(byte cmd) => Snapshot.ReceivedCommand(FamilyId, cmd);

    public void ClearReceived() => Change(state => state.Received = []);

    /// <summary>Multicasts a session batch for <paramref name="instance"/> now, bypassing the queue.</summary>
    public void MulticastSessions(string instance, ReadOnlySpan<byte> container, MulticastShape? shape = null)
    {
        lock (_gate)
        {
            byte[] nameBuffer = _state.Instances.TryGetValue(instance, out var known) ? known.NameBuffer : FakeInstance.ToNameBuffer(instance);
            _socket.Multicast(KernelMessages.Multicast(FamilyId, nameBuffer, container, shape));
            Commit();
        }
    }

    /// <summary>Sends any bytes to the group, as they are.</summary>
    public bool MulticastRaw(ReadOnlySpan<byte> datagram)
    {
        lock (_gate)
        {
            _socket.Multicast(datagram.ToArray());
            return Commit() == 0;
        }
    }

    /// <summary>Sends any bytes to one port id, as they are.</summary>
    public bool SendTo(uint portId, ReadOnlySpan<byte> datagram)
    {
        lock (_gate)
        {
            _socket.SendTo(portId, datagram.ToArray());
            return Commit() == 0;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }

        await _receiveLoop.ConfigureAwait(false);
        ScheduledLoad[] loads;
        lock (_gate)
        {
            loads = [.. _scheduledLoads];
        }

        foreach (var load in loads)
        {
            load.Join();
        }

        _socket.Dispose();
        if (_groupPicked)
        {
            MulticastGroupPicker.Release(GroupId);
        }

        _stop.Dispose();
    }

    /// <summary>Called by an instance's queue, under the lock, when it cuts a batch.</summary>
    private void SendBatch(FakeInstance instance, IReadOnlyList<SessionEntry> batch) =>
        _socket.Multicast(KernelMessages.Multicast(FamilyId, instance.NameBuffer, SessionContainer.Create(batch)));

    private void Change(Action<KernelState> change)
    {
        lock (_gate)
        {
            change(_state);
            Commit();
        }
    }

    private T Change<T>(Func<KernelState, T> change)
    {
        lock (_gate)
        {
            T result = change(_state);
            Commit();
            return result;
        }
    }

    /// <summary>
    /// Under the lock, after every change: publishes the new state, then sends what the change posted (so a
    /// receiver of those datagrams finds their cause already published), then publishes again if a send failed.
    /// Returns how many sends failed.
    /// </summary>
    private int Commit()
    {
        Publish();
        int failed = _socket.Flush();
        if (failed > 0)
        {
            Publish();
        }

        return failed;
    }

    private void Publish() => Volatile.Write(ref _snapshot, _state.ToSnapshot(++_version, _socket));

    private async Task ReceiveLoopAsync(CancellationToken stop)
    {
        var buffer = new byte[DatagramBufferSize];
        var sender = NetlinkAddress.CreateForReceive();
        while (!stop.IsCancellationRequested)
        {
            int length;
            try
            {
                length = await _socket.Socket.ReceiveAsync(buffer, sender, stop).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // ENOBUFS: the socket overran and lost datagrams, as a busy kernel would; go on.
            }

            long receivedAt = System.Diagnostics.Stopwatch.GetTimestamp();
            uint from = NetlinkAddress.PortIdOf(sender) ?? 0;
            if (from == PortId)
            {
                continue; // Our own multicasts (see KernelSocket).
            }

            lock (_gate)
            {
                if (_socket.Stamps.On && length > GenlCommandOffset && buffer[GenlCommandOffset] == CmdJooldAdd)
                {
                    _socket.Stamps.Note(buffer.AsSpan(0, length), received: true, receivedAt);
                }

                _dispatcher.Dispatch(from, buffer.AsSpan(0, length));
                Commit();
            }
        }
    }
}
