using System.Net;
using Joold.Sessions;

namespace Joold.FakeKernel;

/// <summary>
/// The fake's BIB and session tables, with the JOOLD_ADD semantics of spec 4.6: BIB entries keyed by src6 (per
/// protocol) and by src4, sessions inside a BIB keyed by dst4. Not thread-safe: the kernel's lock guards it.
/// </summary>
internal sealed class SessionDatabase
{
    private readonly Dictionary<(L4Protocol, IPAddress, ushort), Bib> _bySource6 = [];
    private readonly Dictionary<(L4Protocol, IPAddress, ushort), Bib> _bySource4 = [];

    /// <summary>Sessions held (kept as a count: the fake publishes it after every request).</summary>
    public int Count { get; private set; }

    /// <summary>What one JOOLD_ADD entry did.</summary>
    public enum AddOutcome
    {
        Created,
        Updated,

        /// <summary>"We're out of sync": a different session already holds that src6/dst4; the old one stays.</summary>
        Collision,

        /// <summary>src4#port belongs to another BIB entry (-EEXIST), silently ignored.</summary>
        MaskTaken,
    }

    /// <summary>A session learned from a peer (JOOLD_ADD). Every outcome is a success to the caller.</summary>
    public AddOutcome AddFromPeer(in SessionEntry entry, long nowMs)
    {
        var key6 = (entry.Protocol, entry.Source6, entry.Source6Port);
        if (_bySource6.TryGetValue(key6, out var bib))
        {
            var dst = (entry.Destination4, entry.Destination4Port);
            if (bib.Sessions.TryGetValue(dst, out var existing))
            {
                if (!existing.Source4.Equals(entry.Source4) || existing.Source4Port != entry.Source4Port)
                {
                    return AddOutcome.Collision;
                }

                existing.State = entry.State;
                existing.Timer = entry.Timer;
                existing.ExpiresAtMs = nowMs + entry.ExpirationMilliseconds;
                return AddOutcome.Updated;
            }

            // Attached to the local BIB entry: its src4 wins over the incoming one.
            Store(bib, dst, NewSession(entry, bib.Source4, bib.Source4Port, nowMs));
            return AddOutcome.Created;
        }

        if (_bySource4.ContainsKey((entry.Protocol, entry.Source4, entry.Source4Port)))
        {
            return AddOutcome.MaskTaken;
        }

        bib = CreateBib(entry);
        Store(bib, (entry.Destination4, entry.Destination4Port), NewSession(entry, entry.Source4, entry.Source4Port, nowMs));
        return AddOutcome.Created;
    }

    /// <summary>
    /// A session created or refreshed by local traffic (what the fake's inject does). Returns the stored session,
    /// whose src4 is the BIB entry's.
    /// </summary>
    public FakeSession Translate(in SessionEntry entry, long nowMs)
    {
        var key6 = (entry.Protocol, entry.Source6, entry.Source6Port);
        if (!_bySource6.TryGetValue(key6, out var bib))
        {
            bib = CreateBib(entry);
        }

        var dst = (entry.Destination4, entry.Destination4Port);
        if (bib.Sessions.TryGetValue(dst, out var session))
        {
            session.State = entry.State;
            session.Timer = entry.Timer;
            session.ExpiresAtMs = nowMs + entry.ExpirationMilliseconds;
            return session;
        }

        session = NewSession(entry, bib.Source4, bib.Source4Port, nowMs);
        Store(bib, dst, session);
        return session;
    }

    /// <summary>Every session, TCP then UDP then ICMP, as the advertisement walks them.</summary>
    public IReadOnlyList<FakeSession> All() =>
        _bySource6.Values.SelectMany(b => b.Sessions.Values).OrderBy(s => s.Protocol).ToList();

    private void Store(Bib bib, (IPAddress, ushort) destination, FakeSession session)
    {
        bib.Sessions.Add(destination, session);
        Count++;
    }

    private Bib CreateBib(in SessionEntry entry)
    {
        var bib = new Bib(entry.Source4, entry.Source4Port);
        _bySource6[(entry.Protocol, entry.Source6, entry.Source6Port)] = bib;
        _bySource4.TryAdd((entry.Protocol, entry.Source4, entry.Source4Port), bib);
        return bib;
    }

    private static FakeSession NewSession(in SessionEntry entry, IPAddress source4, ushort source4Port, long nowMs) => new()
    {
        Protocol = entry.Protocol,
        Source6 = entry.Source6,
        Source6Port = entry.Source6Port,
        Source4 = source4,
        Source4Port = source4Port,
        Destination4 = entry.Destination4,
        Destination4Port = entry.Destination4Port,
        State = entry.State,
        Timer = entry.Timer,
        ExpiresAtMs = nowMs + entry.ExpirationMilliseconds,
    };

    private sealed class Bib(IPAddress source4, ushort source4Port)
    {
        public IPAddress Source4 { get; } = source4;

        public ushort Source4Port { get; } = source4Port;

        public Dictionary<(IPAddress, ushort), FakeSession> Sessions { get; } = [];
    }
}
