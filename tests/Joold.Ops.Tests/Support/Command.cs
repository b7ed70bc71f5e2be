using Joold.Testing;

namespace Joold.Ops.Tests.Support;

/// <summary>Runs a program to completion with a deadline; the process is killed if the deadline passes.</summary>
internal static class Command
{
    public sealed record Result(int ExitCode, string StandardOutput, string StandardError)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout: {StandardOutput}\nstderr: {StandardError}";
    }

    public static async Task<Result> RunAsync(string fileName, IEnumerable<string> args, TimeSpan? timeout = null, string? workingDirectory = null)
    {
        await using var process = DaemonProcess.Start(fileName, args, workingDirectory ?? "/");
        await process.WaitForExitAsync(timeout ?? TimeSpan.FromMinutes(1));
        return new Result(process.ExitCode, process.StandardOutput, process.StandardError);
    }
}
