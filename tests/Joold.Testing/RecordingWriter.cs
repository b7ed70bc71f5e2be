using Joold.Relay;
using Joold.Sessions;

namespace Joold.Testing;

/// <summary>
/// Stands in for the relay's writer, or sits in front of it: keeps a copy of every batch a source hands over,
/// answers as the relay would (or passes the batch on to <c>next</c> and returns its answer), and can hold the
/// source inside <see cref="WriteAsync"/> until released, to prove what waits for the writer (the kernel's ACK).
/// </summary>
public sealed class RecordingWriter(ISessionBatchWriter? next = null) : ISessionBatchWriter
{
    private readonly List<byte[]> _batches = [];
    private readonly List<long> _probes = [];
    private readonly Lock _lock = new();
    private TaskCompletionSource? _gate;
    private int _entered;

    /// <summary>Every batch written so far, each copied, in order.</summary>
    public IReadOnlyList<byte[]> Batches
    {
        get
        {
            lock (_lock)
            {
                return [.. _batches];
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _batches.Count;
            }
        }
    }

    /// <summary>Calls that have started, including one still held by <see cref="Hold"/>.</summary>
    public int Entered => Volatile.Read(ref _entered);

    /// <summary>Read as each batch arrives (a harness reads the plugin's ACK count, for example); see <see cref="ProbeAt"/>.</summary>
    public Func<long>? Probe { get; set; }

    /// <summary>What <see cref="Probe"/> returned when the first batch equal to <paramref name="container"/> arrived, if one did.</summary>
    public long? ProbeAt(ReadOnlySpan<byte> container)
    {
        lock (_lock)
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

    /// <summary>Makes the next calls wait inside <see cref="WriteAsync"/> until <see cref="Release"/>.</summary>
    public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _gate?.TrySetResult();

    /// <summary>Whether a batch equal to <paramref name="container"/> was written.</summary>
    public bool Contains(ReadOnlySpan<byte> container) => ProbeAt(container) is not null;

    /// <summary>Waits until a batch equal to <paramref name="expected"/> was written.</summary>
    public Task WaitForAsync(byte[] expected, string what, TimeSpan? timeout = null) =>
        Eventually.WaitAsync(() => Contains(expected), what, timeout);

    public async ValueTask<RelayResult> WriteAsync(ReadOnlyMemory<byte> entries, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _entered);
        if (_gate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        long probe = Probe?.Invoke() ?? 0;
        lock (_lock)
        {
            _batches.Add(entries.ToArray());
            _probes.Add(probe);
        }

        if (next is not null)
        {
            return await next.WriteAsync(entries, cancellationToken).ConfigureAwait(false);
        }

        return SessionContainer.Validate(entries.Span).IsValid ? RelayResult.Accepted : RelayResult.Invalid;
    }
}
