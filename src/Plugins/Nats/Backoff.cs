namespace Joold.Plugins.Nats;

/// <summary>A bounded exponential pause after a failure, so a loop that keeps failing never spins a core.</summary>
internal sealed class Backoff
{
    private readonly TimeSpan _first;
    private readonly TimeSpan _max;

    public Backoff(TimeSpan first, TimeSpan max)
    {
        _first = first;
        _max = max;
        Next = first;
    }

    /// <summary>The pause the next <see cref="DelayAsync"/> takes.</summary>
    public TimeSpan Next { get; private set; }

    /// <summary>Waits, then doubles the next pause up to the maximum.</summary>
    public async Task DelayAsync(CancellationToken cancellationToken)
    {
        var delay = Next;
        Next = TimeSpan.FromTicks(Math.Min(_max.Ticks, Next.Ticks * 2));
        await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>After a success: the next failure waits the shortest pause again.</summary>
    public void Reset() => Next = _first;
}
