using Joold.FakeKernel;
using Joold.Testing;
using Joold.Testing.Namespaces;

namespace Joold.LoadTest;

/// <summary>Small helpers shared by the rigs.</summary>
internal static class RigSupport
{
    /// <summary>How long a daemon may take to start: JIT and plugin loading on a busy machine.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Starts kernel B. When it shares a namespace with <paramref name="first"/>, its netlink group must differ from
    /// kernel A's (fakes in different processes pick theirs at random): daemon B must not even receive A's
    /// multicasts, or its CPU time would include discarding them.
    /// </summary>
    public static async Task<FakeKernelProcess> StartSecondKernelAsync(FakeKernelProcess first, string instance, TestNode node, bool sharesNamespace)
    {
        for (int attempt = 0; ; attempt++)
        {
            var kernel = await FakeKernelProcess.StartAsync(instance: instance, networkNamespace: node.Name).ConfigureAwait(false);
            if (!sharesNamespace || kernel.GroupId != first.GroupId || attempt >= 10)
            {
                await PrioritizeAsync(first).ConfigureAwait(false);
                await PrioritizeAsync(kernel).ConfigureAwait(false);
                return kernel;
            }

            await kernel.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Gives every thread of a fake kernel nice -20 (Linux keeps a nice value per thread; threads started later
    /// inherit it), so on a busy machine the fakes read and answer at once: kernel B's receipt time is then when
    /// daemon B sent the JOOLD_ADD (the real kernel handles it inside that send), not when a starved fake got round to
    /// it. The daemons keep the default priority, so their CPU and latency figures are unaffected.
    /// </summary>
    public static async Task PrioritizeAsync(FakeKernelProcess kernel)
    {
        string[] threads = [.. Directory.EnumerateDirectories($"/proc/{kernel.ProcessId}/task").Select(Path.GetFileName).OfType<string>()];
        (await Command.RunAsync("renice", ["-n", "-20", "-p", .. threads]).ConfigureAwait(false)).EnsureSuccess();
    }

    /// <summary>
    /// Starts <c>joold ARGUMENTS</c> in <paramref name="node"/>, in <paramref name="directory"/> (where its files are),
    /// with the environment of <see cref="LoadOptions.DaemonEnvironment"/>; the network kills it when disposed.
    /// </summary>
    public static NamespaceProcess StartDaemon(TestNetwork network, TestNode node, string directory, LoadOptions options, IReadOnlyList<string> arguments) =>
        network.StartProcess(
            node,
            DotnetHost.Path,
            [DaemonProcess.JooldDll, .. arguments],
            environment: options.DaemonEnvironment.ToDictionary(p => p.Key, p => (string?)p.Value),
            workingDirectory: directory);

    /// <summary>Waits until every daemon logged that its relay runs; fails with a daemon's log if it exits first.</summary>
    public static Task WaitForStartAsync(params DaemonProcess[] daemons) =>
        Task.WhenAll(daemons.Select(d => d.WaitForOutputAsync(JooldLog.RelayStarted, StartTimeout)));
}
