using System.Runtime.CompilerServices;

namespace Joold.Testing.Shared;

/// <summary>
/// Gives every test process the socket settings the daemon runs with (src/Host/Program.cs), so the tests test what
/// ships: socket completions run inline on the epoll thread, which changes which thread a receive loop and a sink
/// run on. Compiled into every test assembly by tests/Directory.Build.props; the thread-pool setting of the host
/// comes from the same file, as a runtimeconfig option.
/// </summary>
internal static class ProductionSocketSettings
{
    /// <summary>The variable src/Host/Program.cs sets; the runtime reads it when the first socket is used.</summary>
    public const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Runs before the test runner's first line, so before any socket exists; a value set outside wins.</summary>
    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "Must run before the test platform opens its first socket.")]
    internal static void Apply()
    {
        if (Environment.GetEnvironmentVariable(InlineCompletions) is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletions, "1");
        }
    }
}
