namespace Joold.Testing.Namespaces;

/// <summary>What a finished command printed and returned.</summary>
public sealed record CommandResult(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;

    /// <summary>Throws with the command line and its error output when the command failed.</summary>
    public CommandResult EnsureSuccess() => Succeeded
        ? this
        : throw new InvalidOperationException($"'{Command}' exited with {ExitCode}: {StandardError.Trim()} {StandardOutput.Trim()}".Trim());
}
