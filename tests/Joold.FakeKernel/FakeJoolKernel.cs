using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Joold.Netlink;
using Joold.Sessions;
using static Joold.Netlink.Interop.Netlink;

namespace Joold.FakeKernel;

/// <summary>
/// Plays the Jool 4.1.15 module over a real NETLINK_GENERIC socket (spec section 4): answers nlctrl's
/// CTRL_CMD_GETFAMILY for "Jool", keeps each instance's joold queue with its ACK window, deadline and 2 s timer,
/// multicasts batches in the kernel's exact format, and handles JOOLD_ACK, JOOLD_ADVERTISE, JOOLD_ADD and
/// INSTANCE_HELLO. Everything it receives is recorded byte for byte. One lock serializes all of it, as the genl
/// mutex and the queue lock do in the kernel.
/// </summary>
public sealed class FakeJoolKernel : IAsyncDisposable
{
    public const byte CmdInstanceHello = 2;
    public const byte CmdJooldAdd = 27;
    public const byte CmdJooldAdvertise = 28;
    public const byte CmdJooldAck = 29;

    private const int EPERM = 1;
    private const int ENOENT = 2;
    private const int ESRCH = 3;
    private const int EINVAL = 22;
    private const int EOPNOTSUPP = 95;
    private const uint JoolVersion = 0x04010F00;

    private readonly Lock _gate = new();
    private readonly NetlinkSocket _socket;
    private readonly SocketAddress _group;
    private readonly Dictionary<string, FakeInstance> _instances = new(StringComparer.Ordinal);
    private readonly List<ReceivedMessage> _received = [];
    private readonly HashSet<byte> _ignored = [];
    private readonly TimeProvider _time;
    private readonly long _epoch;
    private readonly CancellationTokenSource _stop = new();
    private readonly bool _groupPicked;
    private ITimer? _timer;
    private AckMode _ackMode = AckMode.Accept;
    private (int Errno, string Message)? _forcedError;
    private Task _receiveLoop = Task.CompletedTask;
    private long _multicastsSent;
    private long _lastSendError;
    private bool _recording = true;
    private LoadSessions? _loadSessions;

    private FakeJoolKernel(NetlinkSocket socket, ushort family, uint group, bool groupPicked, TimeProvider time)
    {
        _socket = socket;
        FamilyId = family;
        GroupId = group;
        _groupPicked = groupPicked;
        // Addressed to the group *and* to the fake itself: sendto also unicasts the datagram to nl_pid, and with
        // nl_pid 0 that would hand every multicast (malformed ones included) to the real kernel's genl as a request.
        _group = NetlinkAddress.Create(socket.PortId, 1u << (int)(group - 1));
        _time = time;
        _epoch = time.GetTimestamp();
    }

    /// <summary>The port id the fake listens on: the plugin's "netlink peer".</summary>
    public uint PortId => _socket.PortId;

    public ushort FamilyId { get; }

    public uint GroupId { get; }

    /// <summary>What to do with JOOLD_ACKs.</summary>
    public AckMode AckMode
    {
        get
        {
            lock (_gate)
            {
                return _ackMode;
            }
        }

        set
        {
            lock (_gate)
            {
                _ackMode = value;
            }
        }
    }

    /// <summary>When set, every HELLO, ADVERTISE and ADD is answered with this error reply instead.</summary>
    public (int Errno, string Message)? ForcedError
    {
        get
        {
            lock (_gate)
            {
                return _forcedError;
            }
        }

        set
        {
            lock (_gate)
            {
                _forcedError = value;
            }
        }
    }

    /// <summary>From now on, requests with this genl command are dropped without any answer (to test timeouts).</summary>
    public void Ignore(byte cmd)
    {
        lock (_gate)
        {
            _ignored.Add(cmd);
        }
    }

    /// <summary>Session multicasts sent (raw ones included).</summary>
    public long MulticastsSent => Interlocked.Read(ref _multicastsSent);

    /// <summary>The last errno of a failed send (0 when none failed).</summary>
    public long LastSendError => Interlocked.Read(ref _lastSendError);

    /// <summary>Binds the socket, picks the group and starts answering.</summary>
    public static async Task<FakeJoolKernel> StartAsync(FakeKernelOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new FakeKernelOptions();
        if (options.GroupId > 32)
        {
            throw new ArgumentException("The fake's group must be 1 to 32: user space can only send to those.", nameof(options));
        }

        var socket = NetlinkSocket.Open(NETLINK_GENERIC, options.PortId);
        try
        {
            // Room for bursts of requests and for the copies of our own multicasts, so senders never get EAGAIN.
            socket.SetReceiveBuffer(16 * 1024 * 1024);

            uint group = options.GroupId;
            if (group == 0)
            {
                group = await MulticastGroupPicker.PickAsync(socket, cancellationToken).ConfigureAwait(false);
            }

            var kernel = new FakeJoolKernel(socket, options.FamilyId, group, options.GroupId == 0, options.Time);
            foreach (var (name, settings) in options.Instances)
            {
                kernel.AddInstance(name, settings);
            }

            kernel._timer = options.Time.CreateTimer(_ => kernel.Tick(), null, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
            kernel._receiveLoop = Task.Run(() => kernel.ReceiveLoopAsync(kernel._stop.Token), CancellationToken.None);
            return kernel;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The fake's clock in milliseconds since start.</summary>
    public long NowMs => (long)_time.GetElapsedTime(_epoch).TotalMilliseconds;

    public void AddInstance(string name, FakeInstanceSettings? settings = null)
    {
        lock (_gate)
        {
            var instance = new FakeInstance(name, settings ?? new FakeInstanceSettings(), SendBatch);
            instance.Initialize(NowMs);
            _instances[name] = instance;
        }
    }

    public void RemoveInstance(string name)
    {
        lock (_gate)
        {
            _instances.Remove(name);
        }
    }

    public void Configure(string instance, Func<FakeInstanceSettings, FakeInstanceSettings> change)
    {
        lock (_gate)
        {
            var target = Get(instance);
            target.Settings = change(target.Settings);
        }
    }

    /// <summary>The 16 bytes copied into multicast headers (to test names with garbage after the NUL).</summary>
    public void SetNameBuffer(string instance, byte[] buffer)
    {
        lock (_gate)
        {
            Get(instance).NameBuffer = buffer;
        }
    }

    /// <summary>Sessions as local traffic would touch them: into the DB, then onto the joold queue, one by one.</summary>
    public void Inject(string instance, IEnumerable<SessionEntry> sessions)
    {
        lock (_gate)
        {
            var target = Get(instance);
            foreach (var session in sessions)
            {
                target.Translate(session, NowMs);
            }
        }
    }

    /// <summary>Injects <paramref name="count"/> random valid sessions and returns them.</summary>
    public IReadOnlyList<SessionEntry> InjectRandom(string instance, int count, int? seed = null)
    {
        var random = seed is int s ? new Random(s) : Random.Shared;
        var sessions = Enumerable.Range(0, count).Select(_ => RandomSession(random)).ToList();
        Inject(instance, sessions);
        return sessions;
    }

    /// <summary>Whether received messages are kept for <see cref="Received"/> (true by default; load runs turn it off).</summary>
    public bool Recording
    {
        get
        {
            lock (_gate)
            {
                return _recording;
            }
        }

        set
        {
            lock (_gate)
            {
                _recording = value;
            }
        }
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
        lock (_gate)
        {
            var target = Get(instance);
            target.Settings = target.Settings with { MaxSessionsPerPacket = sessionsPerBatch };
            var sessions = _loadSessions ??= new LoadSessions();
            target.StartLoad(batches * sessionsPerBatch, () => sessions.NextQueued(NowMs), NowMs);
        }
    }

    /// <summary>Sessions of the running load not yet queued.</summary>
    public long LoadRemaining(string instance)
    {
        lock (_gate)
        {
            return Get(instance).LoadRemaining;
        }
    }

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
        var messages = new byte[batches][];
        lock (_gate)
        {
            var target = Get(instance);
            var sessions = _loadSessions ??= new LoadSessions();
            var entries = new SessionEntry[sessionsPerBatch];
            for (int b = 0; b < batches; b++)
            {
                for (int i = 0; i < sessionsPerBatch; i++)
                {
                    entries[i] = sessions.NextEntry();
                }

                messages[b] = KernelMessages.Multicast(FamilyId, target.NameBuffer, SessionContainer.Create(entries));
            }

            target.CountSentOutsideQueue(batches, (long)batches * sessionsPerBatch);
        }

        int failed = 0;
        foreach (byte[] message in messages)
        {
            if (!MulticastRaw(message))
            {
                failed++;
            }
        }

        return failed;
    }

    /// <summary>What the 2 s timer does: joold_clean on every instance.</summary>
    public void Tick()
    {
        lock (_gate)
        {
            foreach (var instance in _instances.Values)
            {
                instance.Tick(NowMs);
            }
        }
    }

    public JooldKernelStats GetStats(string instance)
    {
        lock (_gate)
        {
            return Get(instance).Stats;
        }
    }

    public int QueueCount(string instance)
    {
        lock (_gate)
        {
            return Get(instance).QueueCount;
        }
    }

    /// <summary>Every session in the instance's database, as it would serialize now.</summary>
    public IReadOnlyList<SessionEntry> GetDatabase(string instance)
    {
        lock (_gate)
        {
            long now = NowMs;
            return Get(instance).Database.All().Select(s => s.Snapshot(now)).ToList();
        }
    }

    /// <summary>A copy of every message received so far.</summary>
    public IReadOnlyList<ReceivedMessage> Received
    {
        get
        {
            lock (_gate)
            {
                return _received.ToList();
            }
        }
    }

    /// <summary>Received messages with this genl command.</summary>
    public IReadOnlyList<ReceivedMessage> ReceivedCommand(byte cmd) => Received.Where(m => m.Type == FamilyId && m.Command == cmd).ToList();

    public void ClearReceived()
    {
        lock (_gate)
        {
            _received.Clear();
        }
    }

    /// <summary>Multicasts a session batch for <paramref name="instance"/> now, bypassing the queue.</summary>
    public void MulticastSessions(string instance, ReadOnlySpan<byte> container, MulticastShape? shape = null)
    {
        byte[] message;
        lock (_gate)
        {
            message = KernelMessages.Multicast(FamilyId, _instances.TryGetValue(instance, out var i) ? i.NameBuffer : FakeInstance.ToNameBuffer(instance), container, shape);
        }

        MulticastRaw(message);
    }

    /// <summary>Sends any bytes to the group, as they are.</summary>
    public bool MulticastRaw(ReadOnlySpan<byte> datagram)
    {
        Interlocked.Increment(ref _multicastsSent);
        return Send(datagram, _group);
    }

    /// <summary>Sends any bytes to one port id, as they are.</summary>
    public bool SendTo(uint portId, ReadOnlySpan<byte> datagram) => Send(datagram, NetlinkAddress.Create(portId));

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

        try
        {
            await _receiveLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _socket.Dispose();
        if (_groupPicked)
        {
            MulticastGroupPicker.Release(GroupId);
        }

        _stop.Dispose();
    }

    private FakeInstance Get(string instance) =>
        _instances.TryGetValue(instance, out var found) ? found : throw new ArgumentException($"The fake kernel has no instance '{instance}'.", nameof(instance));

    private void SendBatch(FakeInstance instance, IReadOnlyList<SessionEntry> batch)
    {
        byte[] container = SessionContainer.Create(batch);
        MulticastRaw(KernelMessages.Multicast(FamilyId, instance.NameBuffer, container));
    }

    private bool Send(ReadOnlySpan<byte> datagram, SocketAddress destination)
    {
        var result = _socket.SendTo(datagram, destination);
        if (result != SocketError.Success)
        {
            Interlocked.Exchange(ref _lastSendError, (long)result);
            return false;
        }

        return true;
    }

    private async Task ReceiveLoopAsync(CancellationToken stop)
    {
        var buffer = new byte[64 * 1024];
        var sender = NetlinkAddress.CreateForReceive();
        while (!stop.IsCancellationRequested)
        {
            int length;
            try
            {
                length = await _socket.ReceiveAsync(buffer, sender, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            uint from = NetlinkAddress.PortIdOf(sender) ?? 0;
            if (from == PortId)
            {
                continue; // Our own multicasts (see the constructor).
            }

            lock (_gate)
            {
                Handle(from, buffer.AsSpan(0, length));
            }
        }
    }

    private void Handle(uint from, ReadOnlySpan<byte> datagram)
    {
        foreach (var message in new NetlinkMessageEnumerator(datagram))
        {
            if (_recording)
            {
                _received.Add(new ReceivedMessage(from, message.Bytes.ToArray()));
            }

            if ((message.Flags & NLM_F_REQUEST) == 0)
            {
                continue; // netlink_rcv_skb skips what is not a request.
            }

            if (message.Type == GENL_ID_CTRL)
            {
                HandleController(from, message);
            }
            else if (message.Type == FamilyId)
            {
                HandleJool(from, message);
            }
            else
            {
                Reply(from, KernelMessages.NetlinkError(message.Sequence, message.PortId, -ENOENT, message.Bytes));
            }
        }
    }

    private void HandleController(uint from, in NetlinkMessage message)
    {
        ReadOnlySpan<byte> payload = message.Payload;
        if (payload.Length < GENL_HDRLEN || payload[0] != CTRL_CMD_GETFAMILY)
        {
            Reply(from, KernelMessages.NetlinkError(message.Sequence, message.PortId, -EOPNOTSUPP, message.Bytes));
            return;
        }

        string? name = NetlinkAttributeEnumerator.TryFind(payload[GENL_HDRLEN..], CTRL_ATTR_FAMILY_NAME, out var n) ? GenericNetlinkResolver.ReadString(n) : null;
        Reply(from, name == "Jool"
            ? KernelMessages.NewFamily(message.Sequence, message.PortId, "Jool", FamilyId, "joold", GroupId)
            : KernelMessages.NetlinkError(message.Sequence, message.PortId, -ENOENT, message.Bytes));
    }

    private void HandleJool(uint from, in NetlinkMessage message)
    {
        ReadOnlySpan<byte> payload = message.Payload;

        // genetlink's own checks, before Jool's handler: room for the user header, reserved 0 (Linux 6.1+), a
        // known command, and strict attribute validation (a NESTED-policy attribute needs NLA_F_NESTED).
        if (payload.Length < GENL_HDRLEN + 28 || BinaryPrimitives.ReadUInt16LittleEndian(payload[2..]) != 0)
        {
            Reply(from, KernelMessages.NetlinkError(message.Sequence, message.PortId, -EINVAL, message.Bytes));
            return;
        }

        byte cmd = payload[0];
        if (_ignored.Contains(cmd))
        {
            return;
        }

        if (cmd is not (CmdInstanceHello or CmdJooldAdd or CmdJooldAdvertise or CmdJooldAck))
        {
            Reply(from, KernelMessages.NetlinkError(message.Sequence, message.PortId, -EOPNOTSUPP, message.Bytes));
            return;
        }

        ReadOnlySpan<byte> header = payload.Slice(GENL_HDRLEN, 28);
        ReadOnlySpan<byte> attributes = payload[(GENL_HDRLEN + 28)..];
        var walk = new NetlinkAttributeEnumerator(attributes);
        while (walk.MoveNext())
        {
            if (walk.Current.Type is >= 2 and <= 8 or 10 && (walk.Current.RawType & NLA_F_NESTED) == 0)
            {
                Reply(from, KernelMessages.NetlinkError(message.Sequence, message.PortId, -EINVAL, message.Bytes));
                return;
            }
        }

        if (walk.Malformed)
        {
            Reply(from, KernelMessages.NetlinkError(message.Sequence, message.PortId, -EINVAL, message.Bytes));
            return;
        }

        // Jool's request_handle_start.
        string? error = CheckHeader(header, cmd, out int errno, out var instance);
        if (error is not null)
        {
            ErrorReply(from, message, header, errno, error);
            return;
        }

        if (_forcedError is { } forced && cmd != CmdJooldAck)
        {
            ErrorReply(from, message, header, forced.Errno, forced.Message);
            return;
        }

        switch (cmd)
        {
            case CmdInstanceHello:
                Reply(from, KernelMessages.Reply(FamilyId, message.Sequence, message.PortId, header, instance is null ? (byte)1 : (byte)0));
                break;
            case CmdJooldAck:
                HandleAck(from, message, header, instance!);
                break;
            case CmdJooldAdvertise:
                string? refused = instance!.Advertise(NowMs);
                Reply(from, refused is null
                    ? KernelMessages.Reply(FamilyId, message.Sequence, message.PortId, header)
                    : KernelMessages.ErrorReply(FamilyId, message.Sequence, message.PortId, header, EINVAL, refused));
                break;
            default:
                HandleAdd(from, message, header, attributes, instance!);
                break;
        }
    }

    private void HandleAck(uint from, in NetlinkMessage message, ReadOnlySpan<byte> header, FakeInstance instance)
    {
        switch (_ackMode)
        {
            case AckMode.Drop:
                return;
            case AckMode.Reject:
                ErrorReply(from, message, header, ESRCH, $"This namespace lacks an instance named '{instance.Name}'.");
                return;
        }

        if (instance.Settings.Enabled)
        {
            instance.Ack(NowMs);
        }

        // Accepted or not, an ACK gets no reply.
    }

    private void HandleAdd(uint from, in NetlinkMessage message, ReadOnlySpan<byte> header, ReadOnlySpan<byte> attributes, FakeInstance instance)
    {
        if (!instance.Settings.Enabled)
        {
            ErrorReply(from, message, header, EINVAL, "Session sync is disabled on this instance.");
            return;
        }

        if (!NetlinkAttributeEnumerator.TryFind(attributes, 7, out var container))
        {
            // Jool itself would dereference NULL here (spec 4.6); a fake refuses instead.
            ErrorReply(from, message, header, EINVAL, "The request lacks a session container.");
            return;
        }

        int walked = 0;
        var errors = new StringBuilder();
        long now = NowMs;

        // nla_for_each_nested: every attribute, whatever its type; malformed trailing bytes end the walk silently.
        foreach (var entry in new NetlinkAttributeEnumerator(container))
        {
            walked++;
            string? failure = Decode(entry.Payload, out var session);
            if (failure is null)
            {
                var outcome = instance.Database.AddFromPeer(session, now);
                if (outcome == SessionDatabase.AddOutcome.Collision)
                {
                    instance.CountCollision();
                }

                continue;
            }

            errors.Append(failure.Length > 255 ? failure[..255] : failure);
        }

        instance.CountReceived(walked);
        if (errors.Length > 0)
        {
            ErrorReply(from, message, header, EINVAL, errors.ToString());
        }
    }

    /// <summary>jnla_get_session_joold plus the DB's timer check (spec 3 and 4.6).</summary>
    private static string? Decode(ReadOnlySpan<byte> payload, out SessionEntry session)
    {
        session = default;

        // The kernel compares the attribute's total length (header included) with 36 (spec 6.9).
        if (payload.Length + NLA_HDRLEN < SessionEntry.SerializedSize)
        {
            return "Invalid request: The session attribute is too small.";
        }

        Span<byte> bytes = stackalloc byte[SessionEntry.SerializedSize];
        bytes.Clear();
        payload[..Math.Min(payload.Length, bytes.Length)].CopyTo(bytes);
        ushort packed = BinaryPrimitives.ReadUInt16BigEndian(bytes[34..]);
        int protocol = (packed >> 5) & 3;
        int timer = packed & 3;
        if (protocol == 3)
        {
            return "Unknown protocol: 3";
        }

        if (timer == 3)
        {
            return protocol == 0 ? "Unknown session timer: 3" : "incoming joold session's timer (3) is unknown.";
        }

        session = SessionEntry.Read(bytes);
        return null;
    }

    /// <summary>Magic, xt, version, NAT64, iname, then the instance lookup (request_handle_start).</summary>
    private string? CheckHeader(ReadOnlySpan<byte> header, byte cmd, out int errno, out FakeInstance? instance)
    {
        errno = EINVAL;
        instance = null;
        if (!header[..4].SequenceEqual("jool"u8))
        {
            return "Don't know what to do: magic number is not 'jool'.";
        }

        byte xt = header[8];
        if (xt is not (1 or 2))
        {
            return $"Unknown translator type: {xt}";
        }

        uint version = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        if ((version & 0xFFFF0000) != (JoolVersion & 0xFFFF0000))
        {
            return $"Version mismatch. The userspace client's version is {version >> 24}.{(version >> 16) & 0xFF}.{(version >> 8) & 0xFF}.{version & 0xFF}, but the kernel module is 4.1.15.0.";
        }

        ReadOnlySpan<byte> field = header.Slice(12, 16);
        int end = field.IndexOf((byte)0);
        if (end < 0 || field[..end].IndexOfAnyExceptInRange((byte)0x20, (byte)0x7F) >= 0)
        {
            return "The instance name must be a null-terminated ascii string, 15 characters max.";
        }

        string name = end == 0 ? "default" : Encoding.ASCII.GetString(field[..end]);
        _instances.TryGetValue(name, out instance);
        if (cmd == CmdInstanceHello)
        {
            return null; // HELLO accepts any translator type and answers "dead" rather than failing.
        }

        if ((xt & 2) == 0)
        {
            return "NAT64 Jool has not been modprobed.";
        }

        if (instance is null)
        {
            errno = ESRCH;
            return $"This namespace lacks an instance named '{name}'.";
        }

        _ = EPERM; // Root only here; CAP_NET_ADMIN failures are not emulated.
        return null;
    }

    private void ErrorReply(uint from, in NetlinkMessage request, ReadOnlySpan<byte> header, int errno, string text) =>
        Reply(from, KernelMessages.ErrorReply(FamilyId, request.Sequence, request.PortId, header, errno, text));

    private void Reply(uint to, byte[] message) => Send(message, NetlinkAddress.Create(to));

    private static SessionEntry RandomSession(Random random)
    {
        var protocol = (L4Protocol)random.Next(3);
        var source6 = new byte[16];
        random.NextBytes(source6);
        source6[0] = 0x20;
        source6[1] = 0x01;
        var source4 = new byte[] { 192, 0, 2, (byte)random.Next(1, 255) };
        var destination4 = new byte[] { 198, 51, 100, (byte)random.Next(1, 255) };
        ushort port4 = (ushort)random.Next(1024, 65536);
        var state = protocol == L4Protocol.Tcp ? (TcpState)random.Next(7) : TcpState.Established;
        var timer = protocol == L4Protocol.Tcp ? (SessionTimer)random.Next(3) : SessionTimer.Established;
        return new SessionEntry(
            new IPAddress(source6),
            (ushort)random.Next(1024, 65536),
            new IPAddress(source4),
            port4,
            new IPAddress(destination4),
            protocol == L4Protocol.Icmp ? port4 : (ushort)random.Next(1, 65536),
            (uint)random.Next(1000, 7_200_000),
            protocol,
            state,
            timer);
    }
}
