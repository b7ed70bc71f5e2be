using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Joold.FakeKernel;

namespace Joold.LoadTest;

/// <summary>Small helpers shared by the rigs.</summary>
internal static class RigSupport
{
    public const string RelayStarted = "Relay started";

    /// <summary>joold.dll, laid out next to this tool with its plugins/ (see the project file).</summary>
    public static string JooldDll => Path.Combine(AppContext.BaseDirectory, "joold.dll");

    /// <summary>The dotnet host this tool runs on (a full path, as `ip netns exec` needs).</summary>
    public static string DotnetPath
    {
        get
        {
            string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(host) && File.Exists(host))
            {
                return host;
            }

            string? self = Environment.ProcessPath;
            if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet")
            {
                return self;
            }

            string candidate = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", "dotnet"));
            return File.Exists(candidate) ? candidate : "dotnet";
        }
    }

    /// <summary>
    /// Puts <see cref="LoadOptions.DaemonEnvironment"/> into this process's environment, which the daemons started
    /// next inherit (the fake kernels are already running).
    /// </summary>
    public static void SetDaemonEnvironment(LoadOptions options)
    {
        foreach (var (name, value) in options.DaemonEnvironment)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    /// <summary>
    /// Starts kernel B so that its netlink group differs from kernel A's (fakes in different processes pick theirs
    /// at random): daemon B must not even receive A's multicasts, or its CPU time would include discarding them.
    /// </summary>
    public static async Task<FakeKernelProcess> StartSecondKernelAsync(FakeKernelProcess first, string instance, string? networkNamespace)
    {
        for (int attempt = 0; ; attempt++)
        {
            var kernel = await FakeKernelProcess.StartAsync(instance: instance, networkNamespace: networkNamespace).ConfigureAwait(false);
            if (kernel.GroupId != first.GroupId || networkNamespace is not null || attempt >= 10)
            {
                return kernel;
            }

            await kernel.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Waits for a daemon's "Relay started" line; fails with its log if it exits first or takes over 60 s.</summary>
    public static async Task WaitForStartAsync(string name, Func<string> log, Func<bool> exited)
    {
        var clock = Stopwatch.StartNew();
        while (!log().Contains(RelayStarted, StringComparison.Ordinal))
        {
            if (exited())
            {
                throw new InvalidOperationException($"Daemon {name} exited before starting: {log()}");
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"Daemon {name} did not log '{RelayStarted}' within 60 s: {log()}");
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }
}
