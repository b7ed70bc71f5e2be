using System.Globalization;

namespace Joold.LoadTest;

/// <summary>
/// <c>--reference</c>: every scenario in alternated rounds (C joold, Joold, C joold, Joold, ...), each run with its own
/// namespaces, fake kernels and daemons, so the machine's load drifts over both alike; a failed run is reported and
/// the rest go on.
/// </summary>
internal static class ComparisonRun
{
    public static async Task<IReadOnlyList<RoundResult>> RunAsync(LoadOptions options, DaemonFlavor reference, Action<string> progress, CancellationToken cancellationToken)
    {
        var results = new List<RoundResult>();
        foreach (var scenario in options.Scenarios)
        {
            var runOptions = scenario.Apply(options);
            DaemonFlavor[] flavors = scenario.WithReference ? [reference, DaemonFlavor.Joold] : [DaemonFlavor.Joold];
            for (int round = 1; round <= options.Rounds; round++)
            {
                foreach (var flavor in flavors)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    progress(string.Create(CultureInfo.InvariantCulture, $"{scenario.Name}, round {round}/{options.Rounds}: {flavor.Name}"));
                    var result = await RunOnceAsync(scenario, flavor, round, runOptions, progress, cancellationToken).ConfigureAwait(false);
                    progress(ComparisonReport.Describe(result));
                    results.Add(result);
                }
            }
        }

        return results;
    }

    private static async Task<RoundResult> RunOnceAsync(Scenario scenario, DaemonFlavor flavor, int round, LoadOptions options, Action<string> progress, CancellationToken cancellationToken)
    {
        try
        {
            ILoadRig rig = await StartRigAsync(options, flavor).ConfigureAwait(false);
            await using (rig.ConfigureAwait(false))
            {
                var result = await LoadRun.RunAsync(rig, options, progress, cancellationToken).ConfigureAwait(false);
                return new RoundResult(scenario, flavor.Name, round, result, LoadAverage.Read(), null);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or System.Net.Sockets.SocketException or FormatException)
        {
            return new RoundResult(scenario, flavor.Name, round, null, LoadAverage.Read(), e.Message);
        }
    }

    public static async Task<ILoadRig> StartRigAsync(LoadOptions options, DaemonFlavor flavor) => options.Transport switch
    {
        RelayTransport.Multicast => await MulticastRig.StartAsync(options, ipv6: false, flavor).ConfigureAwait(false),
        RelayTransport.Multicast6 => await MulticastRig.StartAsync(options, ipv6: true, flavor).ConfigureAwait(false),
        RelayTransport.Unicast when !flavor.IsReference => await UnicastRig.StartAsync(options).ConfigureAwait(false),
        _ => throw new InvalidOperationException($"{flavor.Name} cannot run over {options.Transport}."),
    };
}
