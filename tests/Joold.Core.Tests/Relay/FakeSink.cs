using System.Collections.Concurrent;
using Joold.Relay;

namespace Joold.Core.Tests.Relay;

/// <summary>
/// A sink that records a copy of every batch handed to it. It can be held (each send waits until
/// <see cref="Release"/>), refuse batches or throw, as decided per call by <see cref="Outcome"/>.
/// </summary>
internal sealed class FakeSink(string name, SessionSide side) : ISessionSink
{
    private readonly ConcurrentQueue<(byte[] Entries, SessionSide Origin)> _received = new();
    private TaskCompletionSource? _gate;
    private int _entered;

    public string Name { get; } = name;

    public SessionSide Side { get; } = side;

    /// <summary>Decides what the send with this zero-based index does: return true or false, or throw.</summary>
    public Func<int, bool> Outcome { get; init; } = _ => true;

    /// <summary>Every batch handed to the sink so far, in order.</summary>
    public IReadOnlyList<byte[]> Received => [.. _received.Select(r => r.Entries)];

    /// <summary>The origins of the batches, in order.</summary>
    public IReadOnlyList<SessionSide> Origins => [.. _received.Select(r => r.Origin)];

    /// <summary>How many sends have started (a held send counts).</summary>
    public int Entered => Volatile.Read(ref _entered);

    /// <summary>From now on every send waits for <see cref="Release"/> (or the relay's abort).</summary>
    public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets held and later sends through.</summary>
    public void Release() => _gate?.TrySetResult();

    public async ValueTask<bool> SendAsync(SessionBatch batch, CancellationToken cancellationToken)
    {
        int call = Interlocked.Increment(ref _entered) - 1;
        if (_gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        _received.Enqueue((batch.Entries.ToArray(), batch.Origin));
        return Outcome(call);
    }

    public ValueTask StartAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        Release();
        return ValueTask.CompletedTask;
    }
}
