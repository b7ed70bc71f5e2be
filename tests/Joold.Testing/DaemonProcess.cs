using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Joold.Testing;

/// <summary>
/// A child process (usually <c>dotnet joold.dll …</c>) with its output captured line by line, waits with deadlines,
/// and a guaranteed kill on dispose so no test leaves a process behind.
/// </summary>
public sealed class DaemonProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DaemonProcess(Process process)
    {
        _process = process;
    }

    /// <summary>The folder the tests run from; joold.dll and plugins/ are laid out there.</summary>
    public static string TestBinDirectory => AppContext.BaseDirectory;

    /// <summary>The joold host assembly next to the tests.</summary>
    public static string JooldDll => Path.Combine(TestBinDirectory, "joold.dll");

    public int Id => _process.Id;

    public string StandardOutput => string.Join('\n', _stdout);

    public string StandardError => string.Join('\n', _stderr);

    public bool HasExited => _exited.Task.IsCompleted;

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <c>dotnet joold.dll args</c> in <paramref name="workingDirectory"/>.</summary>
    public static DaemonProcess StartJoold(IEnumerable<string> args, string? workingDirectory = null) =>
        Start("dotnet", [JooldDll, .. args], workingDirectory);

    public static DaemonProcess Start(string fileName, IEnumerable<string> args, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? TestBinDirectory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var daemon = new DaemonProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { daemon._stdout.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { daemon._stderr.Enqueue(e.Data); } };
        process.Exited += (_, _) => daemon._exited.TrySetResult();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return daemon;
    }

    /// <summary>Runs a command to completion and returns (exit code, stdout, stderr).</summary>
    public static async Task<(int ExitCode, string StandardOutput, string StandardError)> RunJooldAsync(
        IEnumerable<string> args, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        await using var process = StartJoold(args, workingDirectory);
        await process.WaitForExitAsync(timeout ?? TimeSpan.FromSeconds(60));
        return (process.ExitCode, process.StandardOutput, process.StandardError);
    }

    /// <summary>Waits until a line of stdout or stderr contains <paramref name="text"/>; fails early if the process exits.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan? timeout = null)
    {
        await Eventually.WaitAsync(() => HasPrinted(text) || HasExited, $"output containing '{text}'", timeout);
        if (!HasPrinted(text))
        {
            throw new InvalidOperationException($"The process exited before printing '{text}'. stdout: {StandardOutput} | stderr: {StandardError}");
        }
    }

    public bool HasPrinted(string text) =>
        _stdout.Any(l => l.Contains(text, StringComparison.Ordinal)) || _stderr.Any(l => l.Contains(text, StringComparison.Ordinal));

    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        await _exited.Task.WithTimeout($"process {_process.StartInfo.FileName} {string.Join(' ', _process.StartInfo.ArgumentList)} to exit", timeout);
        await _process.WaitForExitAsync(); // drains the output readers
    }

    /// <summary>Sends SIGTERM, as systemd would, and waits for the exit.</summary>
    public async Task<int> TerminateAsync(TimeSpan? timeout = null)
    {
        if (!HasExited)
        {
            Signal(_process.Id, Tmds.Linux.LibC.SIGTERM);
        }

        await WaitForExitAsync(timeout ?? TimeSpan.FromSeconds(20));
        return _process.ExitCode;
    }

    /// <summary>Sends <paramref name="signal"/> to process <paramref name="pid"/> (no external kill binary needed).</summary>
    public static void Signal(int pid, int signal)
    {
        if (Tmds.Linux.LibC.kill(pid, signal) != 0 && Tmds.Linux.LibC.errno != Tmds.Linux.LibC.ESRCH)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Tmds.Linux.LibC.errno}.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!HasExited)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }

        _process.Dispose();
    }
}
