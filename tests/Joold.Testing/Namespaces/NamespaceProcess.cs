using System.Diagnostics;
using System.Text;

namespace Joold.Testing.Namespaces;

/// <summary>
/// A process started inside a node's namespace (`ip netns exec`, which execs the program under the same pid).
/// Its standard output and error are captured as they come; disposing it kills the whole process tree.
/// </summary>
public sealed class NamespaceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly Lock _lock = new();
    private int? _exitCode;

    internal NamespaceProcess(
        TestNode node,
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment,
        string? workingDirectory)
    {
        Node = node;
        var start = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (string argument in (string[])["netns", "exec", node.Name, fileName, .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        CommandLine = Command.Describe("ip", start.ArgumentList);
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Append(_output, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_error, e.Data);
        if (!_process.Start())
        {
            throw new InvalidOperationException($"Could not start '{CommandLine}'.");
        }

        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Id = _process.Id;
    }

    /// <summary>The node the process runs in.</summary>
    public TestNode Node { get; }

    /// <summary>The process id (the program itself: `ip netns exec` execs it).</summary>
    public int Id { get; }

    /// <summary>The full command line, for messages.</summary>
    public string CommandLine { get; }

    /// <summary>Whether the process has ended; still answers after disposal.</summary>
    public bool HasExited => _exitCode is not null || _process.HasExited;

    /// <summary>The exit code; throws while the process runs.</summary>
    public int ExitCode => _exitCode ?? _process.ExitCode;

    /// <summary>Everything written to standard output so far, one "\n" per line.</summary>
    public string StandardOutput
    {
        get
        {
            lock (_lock)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Everything written to standard error so far, one "\n" per line.</summary>
    public string StandardError
    {
        get
        {
            lock (_lock)
            {
                return _error.ToString();
            }
        }
    }

    /// <summary>Standard input, for processes that read commands.</summary>
    public StreamWriter StandardInput => _process.StandardInput;

    /// <summary>
    /// Waits until standard output or standard error (where joold logs) contains <paramref name="text"/>; fails
    /// early if the process exits.
    /// </summary>
    public Task WaitForOutputAsync(string text, TimeSpan? timeout = null) =>
        Eventually.WaitAsync(
            () => StandardOutput.Contains(text, StringComparison.Ordinal)
                || StandardError.Contains(text, StringComparison.Ordinal)
                || (HasExited ? throw new InvalidOperationException($"'{CommandLine}' exited with {ExitCode} before printing \"{text}\". stderr: {StandardError}") : false),
            $"\"{text}\" in the output of '{CommandLine}'",
            timeout);

    /// <summary>Waits for the process to end (and its output to be read) and returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        if (_exitCode is int known)
        {
            return known;
        }

        await _process.WaitForExitAsync().WithTimeout($"exit of '{CommandLine}'", timeout);
        _exitCode = _process.ExitCode;
        return _exitCode.Value;
    }

    /// <summary>Kills the process and its children, and waits until they are gone.</summary>
    public async Task KillAsync()
    {
        try
        {
            if (!HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }

        await WaitForExitAsync(TimeSpan.FromSeconds(10));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            target.Append(line).Append('\n');
        }
    }
}
