using Joold.Configuration;
using Joold.Plugins;
using Joold.Relay;
using Microsoft.Extensions.DependencyInjection;

namespace Joold.TestPlugins.Faulty;

/// <summary>
/// Fails where its configuration says: while configuring, while starting, or while running as a source. Its
/// "password" key is a secret, for the tests of the configuration's log line.
/// </summary>
[SecretConfigKeys("password")]
public sealed class FaultyPlugin : IJooldPlugin
{
    public void ConfigureServices(IServiceCollection services, PluginContext context)
    {
        if (context.Section is null)
        {
            return;
        }

        string? fail = context.Section.GetString("fail", null);
        if (fail == "configure")
        {
            throw new InvalidOperationException("the faulty plugin refuses to configure");
        }

        services.AddSingleton<ISessionSource>(new FaultySource(fail));

        // A kernel side for the faulty peer source, so the daemon has something to relay and gets as far as the failure.
        services.AddSingleton<ISessionSink>(new QuietKernel());
    }

    private sealed class QuietKernel : ISessionSink
    {
        public string Name => "quiet kernel";

        public SessionSide Side => SessionSide.Local;

        public ValueTask StartAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask<bool> SendAsync(SessionBatch batch, CancellationToken cancellationToken) => ValueTask.FromResult(true);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class FaultySource(string? fail) : ISessionSource
    {
        public string Name => "faulty source";

        public SessionSide Side => SessionSide.Peer;

        public ValueTask StartAsync(CancellationToken cancellationToken) =>
            fail == "start" ? throw new IOException("the faulty source cannot open its socket") : ValueTask.CompletedTask;

        public Task RunAsync(ISessionBatchWriter writer, CancellationToken cancellationToken) =>
            fail == "run" ? throw new IOException("the faulty source lost its socket") : Task.Delay(Timeout.Infinite, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
