namespace Joold.Relay;

/// <summary>
/// What every source, sink and exporter has: a name for messages, a start step and a stop step
/// (<see cref="IAsyncDisposable.DisposeAsync"/>). The host starts every component before the relay runs (stats
/// exporters, then sinks, then sources) and disposes them after it stopped.
/// </summary>
/// <remarks>
/// <para>The rules every component follows (the transport conformance suite, tests/Joold.Transports.Conformance,
/// checks them for every network transport):</para>
/// <list type="bullet">
/// <item><description><see cref="StartAsync"/> opens what can fail (bind, resolve, join, connect), so the daemon
/// refuses to run with a clear error instead of failing later. A second call after a successful one does nothing
/// and returns a completed task: one object may be registered as both a source and a sink. After
/// <see cref="IAsyncDisposable.DisposeAsync"/> it throws <see cref="ObjectDisposedException"/>. A call that throws
/// leaves the component unstarted and owning nothing (no socket, task, timer or thread), so it may be tried
/// again.</description></item>
/// <item><description><see cref="IAsyncDisposable.DisposeAsync"/> is idempotent, may come at any time (also without
/// a start, or during a send), ends a pending <see cref="ISessionSource.RunAsync"/>, and leaves no socket, task,
/// timer or thread behind.</description></item>
/// <item><description>No component blocks a thread it does not own: no <see cref="Thread.Sleep(int)"/>, no
/// <c>.Wait()</c> or <c>.Result</c> on I/O. Its code runs on the relay's and the socket engine's threads (the daemon
/// lets socket completions run inline), where blocking stalls every transport.</description></item>
/// </list>
/// </remarks>
public interface IJooldComponent : IAsyncDisposable
{
    /// <summary>A short human name, used in logs and errors (for example "multicast [ff08::db8:64:64]:6400").</summary>
    string Name { get; }

    /// <summary>
    /// Opens what the component needs; throw with a message an operator can act on (it is shown as one line naming
    /// the plugin). A second call after a successful one is a no-op returning a completed task; a call after
    /// disposal throws <see cref="ObjectDisposedException"/>; a call that throws leaves nothing open.
    /// </summary>
    ValueTask StartAsync(CancellationToken cancellationToken);
}
