using Joold.Relay;
using Joold.Sessions;

namespace Joold.JoolNetlink.Tests;

/// <summary>
/// Stands in for the relay: validates like it, keeps a copy of every batch, and can hold the source inside
/// <see cref="WriteAsync"/> until released (to prove the ACK waits for the writer).
/// </summary>
public sealed class RecordingWriter : ISessionBatchWriter
{
    private readonly List<byte[]> _batches = [];
    private readonly List<long> _probes = [];
    private TaskCompletionSource? _gate;
    private int _entered;

    public IReadOnlyList<byte[]> Batches
    {
        get
        {
            lock (_batches)
            {
                return _batches.ToList();
            }
        }
    }

    /// <summary>Calls that have started, including one still held by the gate.</summary>
    public int Entered => Volatile.Read(ref _entered);

    /// <summary>Read when each batch arrives (the harness reads the plugin's ACK count), see <see cref="ProbeAt"/>.</summary>
    public Func<long>? Probe { get; set; }

    /// <summary>What <see cref="Probe"/> returned when the batch equal to <paramref name="container"/> arrived.</summary>
    public long? ProbeAt(ReadOnlySpan<byte> container)
    {
        lock (_batches)
        {
            for (int i = 0; i < _batches.Count; i++)
            {
                if (_batches[i].AsSpan().SequenceEqual(container))
                {
                    return _probes[i];
                }
            }
        }

        return null;
    }

    /// <summary>Makes the next calls wait until <see cref="Release"/>.</summary>
    public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _gate?.TrySetResult();

    public bool Contains(ReadOnlySpan<byte> container)
    {
        foreach (var batch in Batches)
        {
            if (batch.AsSpan().SequenceEqual(container))
            {
                return true;
            }
        }

        return false;
    }

    public async ValueTask<RelayResult> WriteAsync(ReadOnlyMemory<byte> entries, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _entered);
        if (_gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        long probe = Probe?.Invoke() ?? 0;
        lock (_batches)
        {
            _batches.Add(entries.ToArray());
            _probes.Add(probe);
        }

        return SessionContainer.Validate(entries.Span).IsValid ? RelayResult.Accepted : RelayResult.Invalid;
    }
}
