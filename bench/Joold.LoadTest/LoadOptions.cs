using System.Globalization;

namespace Joold.LoadTest;

/// <summary>The command line of the load tool.</summary>
internal sealed record LoadOptions
{
    public const string Usage = """
        Usage: Joold.LoadTest [--batches N] [--sessions-per-batch S] [--mode paced|burst|sequential|rate] [--rate R]
                              [--transport unicast|multicast|multicast6|nats|tls] [--burst-size B] [--warmup W]
                              [--unicast-receive-buffer BYTES] [--daemon-env NAME=VALUE]...
               Joold.LoadTest --reference PATH [--rounds R] [--scenarios NAME,...] [--batches N] [--warmup W]
                              [--syscalls]
          --batches N             measured batches (default 20000 paced, 4000 burst and sequential, 5000 rate)
          --sessions-per-batch S  sessions per batch, 1 to 36 (default 36, Jool's ss-max-sessions-per-packet)
          --mode                  paced: as the kernel, ACK window of one (default); burst: back to back, no waiting;
                                  sequential: one batch in flight end to end (latency without queueing);
                                  rate: --rate batches/s on a fixed schedule, still waiting for each ACK
          --rate R                batches per second of the rate mode (default 1000)
          --burst-size B          burst mode: batches per back-to-back burst (default min(N, 1000)); bursts follow
                                  each other once the previous one has arrived at kernel B
          --transport             unicast on 127.0.0.1 (default), multicast (IPv4) or multicast6 (IPv6) across two
                                  namespaces, nats (one local nats-server with JetStream; Debian package nats-server)
                                  or tls (all need root)
          --warmup W              W batches before measuring instead of the default warm-up, which loads the daemons
                                  as the measurement will (burst: paced) in windows of about 0.5 s until both
                                  daemons' CPU per batch settles (at least 2 s, at most 8 s); 0: none
          --unicast-receive-buffer BYTES  the Unicast plugin's "receive buffer" (default: not set, the plugin's default)
          --daemon-env NAME=VALUE an environment variable for the daemons (runtime knobs), repeatable
          --reference PATH        compare with C joold (Jool 4.1.15's joold binary at PATH): every scenario runs in
                                  alternated rounds (C, Joold, C, Joold, ...) against the same fake kernels; prints
                                  medians, the ratio Joold / C and a summary table for the README. gcc builds the
                                  netlink redirect shim at run time
          --rounds R              rounds per daemon and scenario with --reference (default 3)
          --scenarios NAME,...    with --reference, only these (default all): {0}
                                  --batches and --warmup, when given, replace every scenario's own
          --syscalls              with --reference, one more run per daemon and scenario, not measured, with
                                  strace -c -f on both daemons: system calls per batch
        Exit code 0 only if nothing was lost (with --reference: nothing Joold relayed).
        """;

    /// <summary>The rate mode's default, the issue's: 1,000 batches/s.</summary>
    public const int DefaultRate = 1000;

    public int Batches { get; init; }

    public int SessionsPerBatch { get; init; } = 36;

    public LoadMode Mode { get; init; } = LoadMode.Paced;

    /// <summary>Batches per second in <see cref="LoadMode.Rate"/>.</summary>
    public int Rate { get; init; } = DefaultRate;

    public RelayTransport Transport { get; init; } = RelayTransport.Unicast;

    public int BurstSize { get; init; }

    /// <summary>Fixed warm-up batches; null: until the CPU per batch settles (<see cref="Warmup"/>).</summary>
    public int? WarmupBatches { get; init; }

    public int? UnicastReceiveBuffer { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> DaemonEnvironment { get; init; } = [];

    /// <summary>C joold's binary: compare with it (<see cref="Scenario"/>); null runs Joold alone.</summary>
    public string? Reference { get; init; }

    public int Rounds { get; init; } = 3;

    /// <summary>The scenarios to compare (<see cref="Scenario.All"/> by default).</summary>
    public IReadOnlyList<Scenario> Scenarios { get; init; } = Scenario.All;

    /// <summary>Whether --batches was given (it then replaces every scenario's own count).</summary>
    public bool BatchesGiven { get; init; }

    /// <summary>With --reference: an extra strace run per daemon and scenario (<see cref="SyscallCount"/>).</summary>
    public bool Syscalls { get; init; }

    /// <summary>The usage text with the scenario names filled in.</summary>
    public static string UsageText => string.Format(CultureInfo.InvariantCulture, Usage, string.Join(", ", Scenario.All.Select(s => s.Name)));

    /// <summary>The measured batches of a mode when --batches is not given.</summary>
    public static int DefaultBatches(LoadMode mode) => mode switch
    {
        LoadMode.Paced => 20_000,
        LoadMode.Rate => 5_000,
        _ => 4_000,
    };

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        var options = new LoadOptions();
        int? batches = null;
        int? burstSize = null;
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            int Number(int min, int max)
            {
                string text = Value();
                return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= min && n <= max
                    ? n
                    : throw new ArgumentException($"{name} must be a whole number from {min} to {max}, not '{text}'.");
            }

            switch (name)
            {
                case "--batches": batches = Number(1, 10_000_000); break;
                case "--sessions-per-batch": options = options with { SessionsPerBatch = Number(1, 36) }; break;
                case "--burst-size": burstSize = Number(1, 1_000_000); break;
                case "--warmup": options = options with { WarmupBatches = Number(0, 10_000_000) }; break;
                case "--rate": options = options with { Rate = Number(1, 1_000_000) }; break;
                case "--reference": options = options with { Reference = Value() }; break;
                case "--rounds": options = options with { Rounds = Number(1, 100) }; break;
                case "--scenarios": options = options with { Scenarios = Scenario.Parse(name, Value()) }; break;
                case "--syscalls": options = options with { Syscalls = true }; break;
                case "--unicast-receive-buffer": options = options with { UnicastReceiveBuffer = Number(1, int.MaxValue) }; break;
                case "--daemon-env":
                    string pair = Value();
                    int equals = pair.IndexOf('=', StringComparison.Ordinal);
                    if (equals <= 0)
                    {
                        throw new ArgumentException($"--daemon-env takes NAME=VALUE, not '{pair}'.");
                    }

                    options = options with { DaemonEnvironment = [.. options.DaemonEnvironment, new(pair[..equals], pair[(equals + 1)..])] };
                    break;
                case "--mode": options = options with { Mode = ParseEnum<LoadMode>(name, Value()) }; break;
                case "--transport": options = options with { Transport = ParseEnum<RelayTransport>(name, Value()) }; break;
                default: throw new ArgumentException($"Unknown option '{name}'.");
            }
        }

        int total = batches ?? DefaultBatches(options.Mode);
        return options with { Batches = total, BurstSize = Math.Min(burstSize ?? Math.Min(total, 1000), total), BatchesGiven = batches is not null };
    }

    private static T ParseEnum<T>(string name, string value)
        where T : struct, Enum =>
        Enum.TryParse(value, ignoreCase: true, out T parsed) && Enum.IsDefined(parsed)
            ? parsed
            : throw new ArgumentException($"{name} must be one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}, not '{value}'.");
}
