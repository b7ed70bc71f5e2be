using System.Text;
using Joold.Sessions;
using static Joold.FakeKernel.JoolDefinitions;

namespace Joold.FakeKernel;

/// <summary>
/// One Jool instance: its name, settings, session database, joold queue and counters (spec 4.2 to 4.6). Every
/// member runs under the fake kernel's lock; the constructor's multicast callback is how a cut batch leaves.
/// </summary>
internal sealed class FakeInstance
{
    private readonly JooldStatCounters _stats = new();

    public FakeInstance(string name, FakeInstanceSettings settings, Action<FakeInstance, IReadOnlyList<SessionEntry>> multicast)
    {
        Name = name;
        NameBuffer = ToNameBuffer(name);
        Queue = new JooldQueue(settings, _stats, batch => multicast(this, batch));
    }

    public string Name { get; }

    /// <summary>The 16 bytes the kernel copies into multicast headers: the name, a NUL, then whatever follows.</summary>
    public byte[] NameBuffer { get; set; }

    public FakeInstanceSettings Settings
    {
        get => Queue.Settings;
        set => Queue.Settings = value;
    }

    public SessionDatabase Database { get; } = new();

    public JooldQueue Queue { get; }

    public static byte[] ToNameBuffer(string name)
    {
        var buffer = new byte[INAME_MAX_SIZE];
        Encoding.ASCII.GetBytes(name.AsSpan(0, Math.Min(name.Length, INAME_MAX_SIZE - 1)), buffer);
        return buffer;
    }

    /// <summary>Local traffic touched this session: update the DB, then joold_add a copy.</summary>
    public void Translate(in SessionEntry entry, long nowMs) => Queue.Add(Database.Translate(entry, nowMs), nowMs);

    /// <summary>JOOLD_ADVERTISE (spec 4.5). Returns the error text, or null on success.</summary>
    public string? Advertise(long nowMs)
    {
        if (!Settings.Enabled)
        {
            return "Session sync is disabled on this instance.";
        }

        var all = Database.All();
        if (all.Count == 0)
        {
            return null;
        }

        return Queue.TryAdvertise(all, nowMs) ? null : "joold advertisement already in progress.";
    }

    /// <summary>One JOOLD_ADD entry that decoded: into the DB, where a collision still counts as a success.</summary>
    public void AddFromPeer(in SessionEntry session, long nowMs)
    {
        if (Database.AddFromPeer(session, nowMs) == SessionDatabase.AddOutcome.Collision)
        {
            _stats.Collisions++;
        }
    }

    /// <summary>JOOLD_ADD's counters: every entry walked, failed ones included, and one packet.</summary>
    public void CountReceived(int entries)
    {
        _stats.SssRcvd += entries;
        _stats.PktRcvd++;
    }

    /// <summary>Counts batches multicast outside the queue (the fake's burst), as if the queue had sent them.</summary>
    public void CountSentOutsideQueue(long batches, long sessions)
    {
        _stats.SssSent += sessions;
        _stats.PktSent += batches;
    }

    public FakeInstanceSnapshot ToSnapshot() => new(
        Name,
        Settings,
        _stats.ToStats(),
        Queue.Count,
        Queue.AckReceived,
        Queue.AdvertisementOngoing,
        Queue.LoadRemaining,
        Queue.EnospcLogged,
        Database.Count);
}
