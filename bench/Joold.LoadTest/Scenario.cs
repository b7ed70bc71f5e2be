namespace Joold.LoadTest;

/// <summary>
/// One load the comparison with C joold (<c>--reference</c>) runs: a transport, a load shape and whether C joold can
/// take part (it only speaks multicast). <paramref name="Rate"/>: batches/s of a <see cref="LoadMode.Rate"/> scenario.
/// </summary>
internal sealed record Scenario(string Name, string Title, RelayTransport Transport, LoadMode Mode, int SessionsPerBatch, int Batches, bool WithReference, int Rate = LoadOptions.DefaultRate)
{
    /// <summary>Every scenario, in the order they run.</summary>
    public static readonly IReadOnlyList<Scenario> All =
    [
        new("paced36-v4", "paced, 36 sessions/batch, IPv4 multicast across namespaces", RelayTransport.Multicast, LoadMode.Paced, 36, 20_000, true),
        new("paced1-v4", "paced, 1 session/batch, IPv4 multicast across namespaces", RelayTransport.Multicast, LoadMode.Paced, 1, 20_000, true),
        new("rate1000-36-v4", "1,000 batches/s of 36 sessions (fixed rate), IPv4 multicast across namespaces", RelayTransport.Multicast, LoadMode.Rate, 36, 5_000, true),
        new("rate1000-1-v4", "1,000 batches/s of 1 session (fixed rate), IPv4 multicast across namespaces", RelayTransport.Multicast, LoadMode.Rate, 1, 5_000, true),
        new("flood-v4", "flood (bursts of 1,000 batches of 36), IPv4 multicast across namespaces", RelayTransport.Multicast, LoadMode.Burst, 36, 4_000, true),
        new("paced36-v6", "paced, 36 sessions/batch, IPv6 multicast across namespaces", RelayTransport.Multicast6, LoadMode.Paced, 36, 20_000, true),
        new("paced1-v6", "paced, 1 session/batch, IPv6 multicast across namespaces", RelayTransport.Multicast6, LoadMode.Paced, 1, 20_000, true),
        new("rate1000-36-v6", "1,000 batches/s of 36 sessions (fixed rate), IPv6 multicast across namespaces", RelayTransport.Multicast6, LoadMode.Rate, 36, 5_000, true),
        new("rate1000-1-v6", "1,000 batches/s of 1 session (fixed rate), IPv6 multicast across namespaces", RelayTransport.Multicast6, LoadMode.Rate, 1, 5_000, true),
        new("flood-v6", "flood (bursts of 1,000 batches of 36), IPv6 multicast across namespaces", RelayTransport.Multicast6, LoadMode.Burst, 36, 4_000, true),
        new("sequential36-v4", "one batch of 36 in flight end to end (latency without queueing), IPv4 multicast", RelayTransport.Multicast, LoadMode.Sequential, 36, 4_000, true),
        new("sequential36-v6", "one batch of 36 in flight end to end (latency without queueing), IPv6 multicast", RelayTransport.Multicast6, LoadMode.Sequential, 36, 4_000, true),
        new("paced36-unicast", "paced, 36 sessions/batch, unicast on loopback (Joold alone)", RelayTransport.Unicast, LoadMode.Paced, 36, 20_000, false),
        new("flood-unicast", "flood (bursts of 1,000 batches of 36), unicast on loopback (Joold alone)", RelayTransport.Unicast, LoadMode.Burst, 36, 4_000, false),
        new("sequential36-unicast", "one batch of 36 in flight end to end, unicast on loopback (Joold alone)", RelayTransport.Unicast, LoadMode.Sequential, 36, 4_000, false),
    ];

    /// <summary>Parses a comma-separated list of names; throws <see cref="ArgumentException"/> naming an unknown one.</summary>
    public static IReadOnlyList<Scenario> Parse(string option, string names)
    {
        var chosen = new List<Scenario>();
        foreach (string name in names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            chosen.Add(All.FirstOrDefault(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
                ?? throw new ArgumentException($"{option}: unknown scenario '{name}'; known: {string.Join(", ", All.Select(s => s.Name))}."));
        }

        return chosen.Count > 0 ? chosen : throw new ArgumentException($"{option} needs at least one scenario name.");
    }

    /// <summary>The load options of one run of this scenario: its own shape, --batches and --warmup when given.</summary>
    public LoadOptions Apply(LoadOptions options) => options with
    {
        Transport = Transport,
        Mode = Mode,
        Rate = Rate,
        SessionsPerBatch = SessionsPerBatch,
        Batches = options.BatchesGiven ? options.Batches : Batches,
        BurstSize = Math.Min(1000, options.BatchesGiven ? options.Batches : Batches),
    };
}
