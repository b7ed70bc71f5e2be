using System.Diagnostics;
using System.Net;
using System.Text;

namespace Joold.Testing;

/// <summary>
/// A child process (a joold daemon, a fake kernel, a build) with its output captured line by line, waits with
/// deadlines, and a guaranteed kill of its whole tree on dispose, so no test leaves a process behind. Given a
/// network namespace, it runs under <c>ip netns exec NS</c>, which execs the program in place: <see cref="Id"/> is
/// the program itself.
/// </summary>
public class DaemonProcess : IAsyncDisposable
{
    private static readonly TimeSpan OutputDrainTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _unreadLines = new(0);
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _readLines;
    private int _disposed;

    private protected DaemonProcess(string fileName, IEnumerable<string> arguments, string? workingDirectory, IReadOnlyDictionary<string, string?>? environment, string? networkNamespace)
    {
        var start = new ProcessStartInfo(networkNamespace is null ? fileName : "ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? TestBinDirectory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        string[] prefix = networkNamespace is null ? [] : ["netns", "exec", networkNamespace, fileName];
        foreach (string argument in prefix.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        CommandLine = string.Join(' ', [start.FileName, .. start.ArgumentList]);
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnOutput(e.Data);
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_lock)
                {
                    _stderr.Add(e.Data);
                }
            }
        };
        _process.Exited += (_, _) => _exited.TrySetResult(_process.ExitCode);
        if (!_process.Start())
        {
            throw new InvalidOperationException($"Could not start '{CommandLine}'.");
        }

        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Id = _process.Id;
    }

    /// <summary>The folder the tests run from; joold.dll and plugins/ are laid out there.</summary>
    public static string TestBinDirectory => AppContext.BaseDirectory;

    /// <summary>The joold host assembly next to the tests.</summary>
    public static string JooldDll => Path.Combine(TestBinDirectory, "joold.dll");

    /// <summary>The process id (of the program itself, also under `ip netns exec`).</summary>
    public int Id { get; }

    /// <summary>The full command line, for messages.</summary>
    public string CommandLine { get; }

    /// <summary>Everything written to standard output so far, each line ended by "\n".</summary>
    public string StandardOutput => Text(_stdout);

    /// <summary>Everything written to standard error (where joold logs) so far, each line ended by "\n".</summary>
    public string StandardError => Text(_stderr);

    /// <summary>Standard input, for programs that read commands (the fake kernel).</summary>
    public StreamWriter StandardInput => _process.StandardInput;

    /// <summary>Whether the process has ended; still answers after disposal.</summary>
    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>The exit code; throws while the process runs. Still answers after disposal.</summary>
    public int ExitCode => _exited.Task.IsCompleted
        ? _exited.Task.Result
        : throw new InvalidOperationException($"'{CommandLine}' is still running.");

    /// <summary>Starts <paramref name="fileName"/>, in <paramref name="networkNamespace"/> (a name for `ip netns exec`) when given.</summary>
    public static DaemonProcess Start(
        string fileName,
        IEnumerable<string> args,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? networkNamespace = null) =>
        new(fileName, args, workingDirectory, environment, networkNamespace);

    /// <summary>Starts <c>dotnet joold.dll args</c>.</summary>
    public static DaemonProcess StartJoold(
        IEnumerable<string> args,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? networkNamespace = null) =>
        Start(DotnetHost.Path, [JooldDll, .. args], workingDirectory, environment, networkNamespace);

    /// <summary>Runs joold to completion and returns (exit code, stdout, stderr).</summary>
    public static async Task<(int ExitCode, string StandardOutput, string StandardError)> RunJooldAsync(
        IEnumerable<string> args, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        await using var process = StartJoold(args, workingDirectory);
        int exitCode = await process.WaitForExitAsync(timeout ?? TimeSpan.FromSeconds(60));
        return (exitCode, process.StandardOutput, process.StandardError);
    }

    /// <summary>Sends <paramref name="signal"/> to process <paramref name="pid"/> (no external kill binary needed).</summary>
    public static void Signal(int pid, int signal)
    {
        if (Tmds.Linux.LibC.kill(pid, signal) != 0 && Tmds.Linux.LibC.errno != Tmds.Linux.LibC.ESRCH)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Tmds.Linux.LibC.errno}.");
        }
    }

    /// <summary>Whether a line of standard output or error contains <paramref name="text"/>.</summary>
    public bool HasPrinted(string text) => FindLine(l => l.Contains(text, StringComparison.Ordinal)) is not null;

    /// <summary>Waits until standard output or error contains <paramref name="text"/>; fails at once if the process exits first.</summary>
    public Task WaitForOutputAsync(string text, TimeSpan? timeout = null) =>
        WaitForLineAsync(l => l.Contains(text, StringComparison.Ordinal), $"\"{text}\"", timeout);

    /// <summary>
    /// Waits for the first line of standard output or error that <paramref name="match"/> accepts and returns it;
    /// fails at once, with the output so far, if the process exits first.
    /// </summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, string what, TimeSpan? timeout = null)
    {
        string? line = null;
        await Eventually.WaitAsync(() => (line = FindLine(match)) is not null || HasExited, $"{what} in the output of '{CommandLine}'", timeout);

        // The process may have printed the line just before it exited: look once more.
        return line ?? FindLine(match) ?? throw new InvalidOperationException(
            $"'{CommandLine}' exited with {ExitCode} before printing {what}. stdout: {StandardOutput} stderr: {StandardError}");
    }

    /// <summary>
    /// Waits for the line that starts with <paramref name="marker"/> where it occurs (for example
    /// <see cref="JooldLog.UnicastListening"/>) and returns the endpoint written right after it: how a test learns
    /// the port a daemon bound when it was told port 0.
    /// </summary>
    public async Task<IPEndPoint> WaitForEndPointAsync(string marker, TimeSpan? timeout = null)
    {
        string line = await WaitForLineAsync(l => l.Contains(marker, StringComparison.Ordinal), $"\"{marker}\"", timeout);
        return EndPointAfter(line, marker)
            ?? throw new FormatException($"No address:port after \"{marker}\" in the line \"{line}\" of '{CommandLine}'.");
    }

    /// <summary>
    /// The next line of standard output that no earlier call returned, in order; null once the output has ended.
    /// For line protocols over stdin/stdout; the line stays in <see cref="StandardOutput"/> too.
    /// </summary>
    public async Task<string?> ReadLineAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var limit = timeout ?? Eventually.DefaultTimeout;
        if (!await _unreadLines.WaitAsync(limit, cancellationToken).ConfigureAwait(false))
        {
            throw new TimeoutException($"No line from '{CommandLine}' within {limit.TotalSeconds:0.#} s. stderr: {StandardError}");
        }

        lock (_lock)
        {
            if (_readLines < _stdout.Count)
            {
                return _stdout[_readLines++];
            }
        }

        _unreadLines.Release(); // The end of the output: the next caller sees it too.
        return null;
    }

    /// <summary>Waits for the process to end (and its output to be read) and returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        await _exited.Task.WithTimeout($"the exit of '{CommandLine}'", timeout).ConfigureAwait(false);
        if (Volatile.Read(ref _disposed) == 0)
        {
            // Reads the rest of the output; bounded, since a grandchild that escaped the kill may hold the pipes.
            using var drained = new CancellationTokenSource(OutputDrainTimeout);
            try
            {
                await _process.WaitForExitAsync(drained.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (drained.IsCancellationRequested)
            {
            }
        }

        return ExitCode;
    }

    /// <summary>Sends SIGTERM, as systemd would, and waits for the exit.</summary>
    public async Task<int> TerminateAsync(TimeSpan? timeout = null)
    {
        if (!HasExited)
        {
            Signal(Id, Tmds.Linux.LibC.SIGTERM);
        }

        return await WaitForExitAsync(timeout ?? TimeSpan.FromSeconds(20)).ConfigureAwait(false);
    }

    /// <summary>SIGKILL to the process and its children, as a crash or an OOM kill would end it; waits until they are gone.</summary>
    public async Task KillAsync()
    {
        try
        {
            if (!HasExited && Volatile.Read(ref _disposed) == 0)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }

        await WaitForExitAsync(TimeSpan.FromSeconds(20)).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            return;
        }

        try
        {
            await KillAsync().ConfigureAwait(false);
        }
        finally
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                _process.Dispose();
                _unreadLines.Dispose();
            }

            GC.SuppressFinalize(this);
        }
    }

    /// <summary>The endpoint right after <paramref name="marker"/> in <paramref name="line"/>, up to a space or ';', without a final '.'.</summary>
    internal static IPEndPoint? EndPointAfter(string line, string marker)
    {
        int start = line.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        string rest = line[(start + marker.Length)..];
        int end = rest.IndexOfAny([' ', ';', ',']);
        string text = (end < 0 ? rest : rest[..end]).TrimEnd('.');
        return text.Contains(':', StringComparison.Ordinal) && IPEndPoint.TryParse(text, out var endPoint) ? endPoint : null;
    }

    private string Text(List<string> lines)
    {
        var text = new StringBuilder();
        lock (_lock)
        {
            lines.ForEach(l => text.Append(l).Append('\n'));
        }

        return text.ToString();
    }

    private string? FindLine(Func<string, bool> match)
    {
        lock (_lock)
        {
            return _stdout.Find(l => match(l)) ?? _stderr.Find(l => match(l));
        }
    }

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            SafeRelease(); // End of output: wakes a reader waiting for a line that will not come.
            return;
        }

        lock (_lock)
        {
            _stdout.Add(line);
        }

        SafeRelease();
    }

    private void SafeRelease()
    {
        try
        {
            _unreadLines.Release();
        }
        catch (ObjectDisposedException)
        {
            // Output that arrives while the process object is being disposed has no reader left.
        }
    }
}
