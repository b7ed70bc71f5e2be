namespace Joold.Relay;

/// <summary>
/// What every source, sink and exporter has: a name for messages and a start step. Start does the work that can
/// fail because of configuration or environment (open, bind, resolve, join) so the daemon refuses to run with a
/// clear error instead of failing later. Stop is <see cref="IAsyncDisposable.DisposeAsync"/>.
/// </summary>
public interface IJooldComponent : IAsyncDisposable
{
    /// <summary>A short human name, used in logs and errors (for example "multicast [ff08::db8:64:64]:6400").</summary>
    string Name { get; }

    /// <summary>Opens what the component needs. May be called once; throw with a message an operator can act on.</summary>
    ValueTask StartAsync(CancellationToken cancellationToken);
}
