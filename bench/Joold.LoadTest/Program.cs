using Joold.LoadTest;

// End-to-end load tool (see LoadOptions.Usage):
//   dotnet run -c Release --project bench/Joold.LoadTest -- [--batches N] [--sessions-per-batch 36]
//       [--mode paced|burst|sequential|rate] [--rate R] [--transport unicast|multicast|multicast6|nats|tls]
//       [--burst-size B] [--warmup W]
//   dotnet run -c Release --project bench/Joold.LoadTest -- --reference /path/to/joold [--rounds 3] [--scenarios ...]
//       [--syscalls]
// Starts fake kernels A and B and two joold daemons (A fed by kernel A, B adding to kernel B), loads A, measures
// each daemon's CPU per batch once it settled after the warm-up, and counts what reached kernel B. With
// --reference, the same with C joold in alternated rounds, compared, and a summary table for the README. Everything it starts is killed and removed at the end, also on Ctrl+C.
// Exit code: 0 no loss, 1 loss or failure, 2 bad arguments.
if (args is [FloorProbe.Argument])
{
    // The memory floor (FloorProbe): nothing loaded beyond what an empty console app loads.
    Console.WriteLine(FloorProbe.IdleLine);
    Console.In.ReadLine();
    return 0;
}

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(LoadOptions.UsageText);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

// SIGTERM (kill, timeout) ends a run as Ctrl+C does, so its namespaces and fakes are removed too.
using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    cancel.Cancel();
});

void Progress(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

try
{
    if (options.Reference is not null)
    {
        return await Comparison.RunAsync(options, Progress, cancel.Token);
    }

    Progress($"starting two fake kernels and two daemons ({options.Transport.ToString().ToLowerInvariant()})");
    ILoadRig rig = options.Transport switch
    {
        RelayTransport.Unicast => await UnicastRig.StartAsync(options),
        RelayTransport.Nats => await NatsRig.StartAsync(options),
        RelayTransport.Tls => await TlsRig.StartAsync(options),
        RelayTransport.Multicast6 => await MulticastRig.StartAsync(options, ipv6: true, DaemonFlavor.Joold),
        _ => await MulticastRig.StartAsync(options, ipv6: false, DaemonFlavor.Joold),
    };
    await using (rig)
    {
        var result = await LoadRun.RunAsync(rig, options, Progress, cancel.Token);
        Console.WriteLine(LoadReport.Format(result));
        if (result.LostAnything)
        {
            Console.WriteLine("Daemon warnings:");
            foreach (string line in rig.DaemonLogs().Split('\n').Where(l => l.Contains("warn", StringComparison.OrdinalIgnoreCase) || l.Contains("fail", StringComparison.OrdinalIgnoreCase) || l.StartsWith("---", StringComparison.Ordinal)))
            {
                Console.WriteLine(line);
            }

            return 1;
        }

        return 0;
    }
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.Error.WriteLine("Cancelled; everything started was stopped.");
    return 1;
}
catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException or System.Net.Sockets.SocketException or FormatException or System.ComponentModel.Win32Exception)
{
    Console.Error.WriteLine($"Load test failed: {e.Message}");
    return 1;
}
