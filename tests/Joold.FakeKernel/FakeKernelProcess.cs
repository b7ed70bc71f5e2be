using System.Globalization;
using System.Text.Json;
using Joold.Sessions;
using Joold.Testing;

namespace Joold.FakeKernel;

/// <summary>
/// Runs the fake kernel executable as a child process (a <see cref="DaemonProcess"/>: <c>dotnet
/// Joold.FakeKernel.dll ...</c>, under <c>ip netns exec NS</c> when given a namespace) and drives it through its
/// stdin/stdout line protocol (README.md). Dispose asks it to quit, then kills it.
/// </summary>
public sealed class FakeKernelProcess : IAsyncDisposable
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan QuitTimeout = TimeSpan.FromSeconds(2);

    private readonly DaemonProcess _process;
    private readonly SemaphoreSlim _commandLock = new(1, 1);

    private FakeKernelProcess(DaemonProcess process)
    {
        _process = process;
    }

    public uint PortId { get; private set; }

    public ushort FamilyId { get; private set; }

    public uint GroupId { get; private set; }

    /// <summary>The process id (of dotnet; <c>ip netns exec</c> execs it in place).</summary>
    public int ProcessId => _process.Id;

    /// <summary>What the process wrote to stderr so far, for failure messages.</summary>
    public string StandardError => _process.StandardError;

    /// <summary>
    /// Starts the fake and waits for its "ready" line. <paramref name="arguments"/> are extra command-line options
    /// (for example "--instance", "other", "--capacity", "64").
    /// </summary>
    public static async Task<FakeKernelProcess> StartAsync(
        uint portId = 0,
        string instance = "default",
        string? networkNamespace = null,
        IEnumerable<string>? arguments = null,
        CancellationToken cancellationToken = default)
    {
        var fake = new FakeKernelProcess(DaemonProcess.Start(
            DotnetHost.Path,
            [typeof(FakeKernelProcess).Assembly.Location, "--port-id", portId.ToString(CultureInfo.InvariantCulture), "--instance", instance, .. arguments ?? []],
            networkNamespace: networkNamespace));
        try
        {
            string line = await fake.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (!line.StartsWith("ready ", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The fake kernel did not start: {line} {fake.StandardError}");
            }

            foreach (string field in line.Split(' ').Skip(1))
            {
                string[] pair = field.Split('=');
                switch (pair[0])
                {
                    case "port": fake.PortId = uint.Parse(pair[1], CultureInfo.InvariantCulture); break;
                    case "family": fake.FamilyId = ushort.Parse(pair[1], CultureInfo.InvariantCulture); break;
                    case "group": fake.GroupId = uint.Parse(pair[1], CultureInfo.InvariantCulture); break;
                }
            }

            return fake;
        }
        catch
        {
            await fake.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Sends one command and returns its output lines (without the final "ok"); "error ..." throws.</summary>
    public async Task<IReadOnlyList<string>> CommandAsync(string command, CancellationToken cancellationToken = default)
    {
        await _commandLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _process.StandardInput.WriteLineAsync(command.AsMemory(), cancellationToken).ConfigureAwait(false);
            await _process.StandardInput.FlushAsync(cancellationToken).ConfigureAwait(false);
            var lines = new List<string>();
            while (true)
            {
                string line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
                if (line == "ok")
                {
                    return lines;
                }

                if (line.StartsWith("error ", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"Fake kernel refused '{command}': {line[6..]}");
                }

                lines.Add(line);
            }
        }
        finally
        {
            _commandLock.Release();
        }
    }

    /// <summary>Injects the sessions of a container payload as local traffic (DB + joold queue).</summary>
    public Task InjectAsync(ReadOnlyMemory<byte> container, CancellationToken cancellationToken = default) =>
        CommandAsync($"inject {Convert.ToHexString(container.Span)}", cancellationToken);

    /// <summary>Injects <paramref name="count"/> random sessions; returns the container payload they make.</summary>
    public async Task<byte[]> InjectRandomAsync(int count, int? seed = null, CancellationToken cancellationToken = default)
    {
        var lines = await CommandAsync(seed is null ? $"inject-random {count}" : $"inject-random {count} {seed}", cancellationToken).ConfigureAwait(false);
        return Convert.FromHexString(lines.Single(l => l.StartsWith("container ", StringComparison.Ordinal))["container ".Length..]);
    }

    /// <summary>The sessions in the target instance's database.</summary>
    public async Task<IReadOnlyList<SessionEntry>> GetDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var lines = await CommandAsync("db", cancellationToken).ConfigureAwait(false);
        return lines.Where(l => l.StartsWith("session ", StringComparison.Ordinal)).Select(l => SessionJson.Read(l["session ".Length..])).ToList();
    }

    /// <summary>The target instance's JSTAT_JOOLD_* counters.</summary>
    public async Task<JooldKernelStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        var lines = await CommandAsync("stats", cancellationToken).ConfigureAwait(false);
        string json = lines.Single(l => l.StartsWith("stats ", StringComparison.Ordinal))["stats ".Length..];
        return JsonSerializer.Deserialize<JooldKernelStats>(json) ?? throw new InvalidOperationException($"Bad stats line: {json}");
    }

    /// <summary>Every message the fake received so far.</summary>
    public async Task<IReadOnlyList<ReceivedMessage>> GetReceivedAsync(CancellationToken cancellationToken = default)
    {
        var lines = await CommandAsync("received", cancellationToken).ConfigureAwait(false);
        return lines.Where(l => l.StartsWith("received ", StringComparison.Ordinal))
            .Select(l => l.Split(' '))
            .Select(w => new ReceivedMessage(uint.Parse(w[1], CultureInfo.InvariantCulture), Convert.FromHexString(w[2])))
            .ToList();
    }

    public Task SetAckModeAsync(AckMode mode, CancellationToken cancellationToken = default) =>
        CommandAsync($"ack-mode {mode}", cancellationToken);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                using var polite = new CancellationTokenSource(QuitTimeout);
                await _process.StandardInput.WriteLineAsync("quit".AsMemory(), polite.Token).ConfigureAwait(false);
                await _process.StandardInput.FlushAsync(polite.Token).ConfigureAwait(false);
                await _process.WaitForExitAsync(QuitTimeout).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException or IOException or InvalidOperationException)
        {
            // It did not quit in time (or was gone already): the kill below ends it.
        }
        finally
        {
            await _process.DisposeAsync().ConfigureAwait(false);
            _commandLock.Dispose();
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken) =>
        await _process.ReadLineAsync(AnswerTimeout, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The fake kernel exited (code {(_process.HasExited ? _process.ExitCode : -1)}): {StandardError}");
}
