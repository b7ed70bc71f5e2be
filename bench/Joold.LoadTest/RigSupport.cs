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
                return kernel;
            }

            await kernel.DisposeAsync().ConfigureAwait(false);
        }
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

    /// <summary>Both daemons' logs so far, for the report.</summary>
    public static string Logs(DaemonProcess? a, DaemonProcess? b) =>
        $"--- daemon A ---\n{a?.StandardError}\n--- daemon B ---\n{b?.StandardError}";
}
