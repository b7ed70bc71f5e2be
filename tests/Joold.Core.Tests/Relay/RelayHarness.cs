using Joold.Relay;
using Joold.Stats;
using Joold.Testing;

namespace Joold.Core.Tests.Relay;

/// <summary>A started relay over fake components, its counters and its log.</summary>
internal sealed class RelayHarness : IAsyncDisposable
{
    private readonly object[] _components;

    public RelayHarness(RelayOptions? options, TimeProvider? time, params object[] components)
    {
        _components = components;
        Relay = new SessionRelay(components.OfType<ISessionSource>(), components.OfType<ISessionSink>(), Counters, Log, options, time);
        Relay.Start();
    }

    public RelayHarness(RelayOptions? options, params object[] components)
        : this(options, null, components)
    {
    }

    public RelayHarness(params object[] components)
        : this(null, null, components)
    {
    }

    public JooldCounters Counters { get; } = new();

    public RecordingLogger<SessionRelay> Log { get; } = new();

    public SessionRelay Relay { get; }

    public StatsSnapshot Stats => Counters.GetSnapshot();

    /// <summary>Stops the relay, which drains every queue first, so the counters are final afterwards.</summary>
    public Task StopAsync() => Relay.StopAsync().WithTimeout("the relay to stop");

    public async ValueTask DisposeAsync()
    {
        foreach (var sink in _components.OfType<FakeSink>())
        {
            sink.Release();
        }

        await Relay.DisposeAsync();
    }
}
