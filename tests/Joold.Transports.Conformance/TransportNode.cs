using Joold.Relay;

namespace Joold.Transports.Conformance;

/// <summary>
/// One node of a conformance test: the transport's source and sink (often one object) and how to start them
/// where they must live (a network namespace, say).
/// </summary>
public sealed class TransportNode : IAsyncDisposable
{
    private readonly Func<CancellationToken, ValueTask> _start;

    /// <param name="source">The transport's peer source.</param>
    /// <param name="sink">The transport's peer sink; may be the same object as <paramref name="source"/>.</param>
    /// <param name="start">
    /// Starts the node (every component), for example on a thread inside the node's network namespace. When null,
    /// each component's <see cref="IJooldComponent.StartAsync"/> is called in turn.
    /// </param>
    public TransportNode(ISessionSource source, ISessionSink sink, Func<CancellationToken, ValueTask>? start = null)
    {
        Source = source ?? throw new ArgumentNullException(nameof(source));
        Sink = sink ?? throw new ArgumentNullException(nameof(sink));
        Components = ReferenceEquals(source, sink) ? [source] : [source, sink];
        _start = start ?? StartEachAsync;
    }

    /// <summary>The peer source: the suite runs it into a writer that stands in for the relay.</summary>
    public ISessionSource Source { get; }

    /// <summary>The peer sink: the suite sends through it, one batch at a time, as a relay pump does.</summary>
    public ISessionSink Sink { get; }

    /// <summary>Every distinct component of the node (one when the source is the sink).</summary>
    public IReadOnlyList<IJooldComponent> Components { get; }

    /// <summary>A node whose one object is both the source and the sink.</summary>
    public static TransportNode Of<T>(T transport, Func<T, CancellationToken, ValueTask>? start = null)
        where T : ISessionSource, ISessionSink =>
        new(transport, transport, start is null ? null : cancellationToken => start(transport, cancellationToken));

    /// <summary>Starts the node as its transport must be started.</summary>
    public ValueTask StartAsync(CancellationToken cancellationToken) => _start(cancellationToken);

    /// <summary>Disposes every component (each one's dispose is idempotent, so this is too).</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var component in Components)
        {
            await component.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask StartEachAsync(CancellationToken cancellationToken)
    {
        foreach (var component in Components)
        {
            await component.StartAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
