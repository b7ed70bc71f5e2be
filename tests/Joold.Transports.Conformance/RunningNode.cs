using Joold.Relay;
using Joold.Stats;

namespace Joold.Transports.Conformance;

/// <summary>A started node whose source runs into a writer, as the relay runs it (on a pool thread, one run).</summary>
public sealed class RunningNode : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private int _stopped;

    internal RunningNode(TransportNode node, JooldCounters counters, ISessionBatchWriter writer)
    {
        Node = node;
        Counters = counters;
        Writer = writer;
        Received = writer as ProbeWriter;
        Run = Task.Run(() => node.Source.RunAsync(writer, _stop.Token), CancellationToken.None);
    }

    /// <summary>The transport.</summary>
    public TransportNode Node { get; }

    /// <summary>This node's counters: what its relay would count, plus what its transport counts itself.</summary>
    public JooldCounters Counters { get; }

    /// <summary>The writer the source runs into.</summary>
    public ISessionBatchWriter Writer { get; }

    /// <summary>The writer, when it is the usual probe.</summary>
    public ProbeWriter? Received { get; }

    /// <summary>The source's <see cref="ISessionSource.RunAsync"/>.</summary>
    public Task Run { get; }

    /// <summary>Sends one batch through the node's sink, as a relay pump does.</summary>
    public ValueTask<bool> SendAsync(byte[] batch, CancellationToken cancellationToken) =>
        Node.Sink.SendAsync(new SessionBatch(batch, SessionSide.Local), cancellationToken);

    /// <summary>Stops as the relay does: cancels the run, waits for it, then disposes the node. Idempotent.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync();
        await Deadline.WaitAsync(Run, $"the run of {Node.Source.Name} to end once cancelled");
        await Node.DisposeAsync();
        _stop.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
