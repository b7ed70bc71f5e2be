using System.Diagnostics;
using System.Text;

namespace Joold.Testing.Namespaces;

/// <summary>Runs short commands (mostly iproute2) to completion, with a deadline and captured output.</summary>
public static class Command
{
    /// <summary>Deadline for one command; `ip` normally answers in milliseconds.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs <paramref name="fileName"/> with <paramref name="arguments"/>; never throws for a non-zero exit.</summary>
    public static async Task<CommandResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string? standardInput = null,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        string commandLine = Describe(fileName, start.ArgumentList);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start '{commandLine}'.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput.AsMemory(), cancellationToken);
            process.StandardInput.Close();
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{commandLine}' did not finish within {(timeout ?? DefaultTimeout).TotalSeconds:0.#} s.");
        }

        return new CommandResult(commandLine, process.ExitCode, await output, await error);
    }

    /// <summary>Runs a command and throws with its output if it fails.</summary>
    public static async Task<CommandResult> RunCheckedAsync(string fileName, params string[] arguments) =>
        (await RunAsync(fileName, arguments)).EnsureSuccess();

    /// <summary>Feeds lines to `ip -batch -` (optionally in a namespace): one process for many changes.</summary>
    public static async Task<CommandResult> IpBatchAsync(string? namespaceName, IEnumerable<string> lines)
    {
        var arguments = namespaceName is null ? new List<string>() : ["-n", namespaceName];
        arguments.AddRange(["-batch", "-"]);
        var script = new StringBuilder();
        foreach (string line in lines)
        {
            script.Append(line).Append('\n');
        }

        return (await RunAsync("ip", arguments, script.ToString())).EnsureSuccess();
    }

    internal static string Describe(string fileName, IEnumerable<string> arguments) =>
        string.Join(' ', arguments.Select(a => a.Length == 0 || a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a).Prepend(fileName));
}
