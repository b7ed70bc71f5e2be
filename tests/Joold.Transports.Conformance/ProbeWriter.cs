using Joold.Relay;
using Joold.Sessions;
using Joold.Stats;
using Joold.Testing;

namespace Joold.Transports.Conformance;

/// <summary>
/// Stands in for the relay's writer on a receiving node: counts and validates each batch exactly as the relay does
/// (NET_RCVD for everything, invalid containers counted and refused), and keeps a copy of every valid batch it
/// would have forwarded, in order.
/// </summary>
public sealed class ProbeWriter(JooldCounters counters) : ISessionBatchWriter
{
    private readonly List<byte[]> _forwarded = [];
    private readonly List<byte[]> _ignored = [];
    private readonly Lock _lock = new();

    /// <summary>
    /// Runs before a valid batch (not an ignored one) is taken, on the source's receive path: to make the relay
    /// slow (complete later), or to send from the receive thread as the relay's idle pump does. The batch is copied
    /// after it completes.
    /// </summary>
    public Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask>? BeforeTaking { get; set; }

    /// <summary>The valid batches, in arrival order (without the ignored ones).</summary>
    public IReadOnlyList<byte[]> Forwarded
    {
        get
        {
            lock (_lock)
            {
                return [.. _forwarded];
            }
        }
    }

    /// <summary>Batches with this content are counted but not recorded (the warm-up batches of a connection).</summary>
    public void Ignore(byte[] batch)
    {
        lock (_lock)
        {
            _ignored.Add(batch);
        }
    }

    public ValueTask<RelayResult> WriteAsync(ReadOnlyMemory<byte> entries, CancellationToken cancellationToken)
    {
        counters.NetReceived(entries.Length);
        if (!SessionContainer.Validate(entries.Span).IsValid)
        {
            counters.Invalid(SessionSide.Peer);
            return ValueTask.FromResult(RelayResult.Invalid);
        }

        if (IsIgnored(entries.Span))
        {
            return ValueTask.FromResult(RelayResult.Accepted);
        }

        if (BeforeTaking is null)
        {
            Take(entries);
            return ValueTask.FromResult(RelayResult.Accepted);
        }

        return TakeAfterHookAsync(entries, cancellationToken);
    }

    /// <summary>Waits until a batch equal to <paramref name="expected"/> was forwarded.</summary>
    public Task WaitForAsync(byte[] expected, string what) => Eventually.WaitAsync(() => Contains(expected), what);

    /// <summary>Waits until at least <paramref name="count"/> batches were forwarded.</summary>
    public Task WaitForCountAsync(int count, string what) => Eventually.WaitAsync(() => Forwarded.Count >= count, what);

    /// <summary>Whether a batch equal to <paramref name="batch"/> was forwarded.</summary>
    public bool Contains(byte[] batch) => Forwarded.Any(b => b.AsSpan().SequenceEqual(batch));

    private async ValueTask<RelayResult> TakeAfterHookAsync(ReadOnlyMemory<byte> entries, CancellationToken cancellationToken)
    {
        await BeforeTaking!(entries, cancellationToken).ConfigureAwait(false);
        Take(entries);
        return RelayResult.Accepted;
    }

    private void Take(ReadOnlyMemory<byte> entries)
    {
        byte[] copy = entries.ToArray();
        lock (_lock)
        {
            _forwarded.Add(copy);
        }
    }

    private bool IsIgnored(ReadOnlySpan<byte> entries)
    {
        lock (_lock)
        {
            foreach (byte[] ignored in _ignored)
            {
                if (entries.SequenceEqual(ignored))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
