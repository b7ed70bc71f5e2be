using Joold.Sessions;
using Joold.Testing;

namespace Joold.Nats.Tests.Support;

/// <summary>
/// Gateways whose kernels each multicast one full batch per round; a round ends when every kernel had its batch
/// ACKed, so the pace is the system's own.
/// </summary>
internal sealed class Publishers(params Gateway[] gateways)
{
    /// <summary>A batch the fake kernel multicasts at once (ss-max-sessions-per-packet).</summary>
    public const int FullBatch = 36;

    private readonly DistinctSessions _sessions = new(seed: 30_000);

    public List<string> Sent { get; } = [];

    private int _rounds;

    /// <summary>Rounds completed so far (read from other threads while <see cref="KeepPublishing"/> runs).</summary>
    public int Rounds => Volatile.Read(ref _rounds);

    public async Task RoundAsync()
    {
        foreach (var gateway in gateways)
        {
            // Not the fake's inject-random: its sessions end up sharing a src4#port, and a receiver keeps only one.
            byte[] batch = SessionContainer.Create(_sessions.Next(FullBatch));
            await gateway.Kernel.InjectAsync(batch);
            Sent.AddRange(SessionBytes.OfContainer(batch));
        }

        foreach (var gateway in gateways)
        {
            await Eventually.ValueAsync(() => gateway.Kernel.GetStatsAsync(), s => s.SssSent == s.SssQueued && s.Acks == s.PktSent, $"{gateway}'s batch ACKed");
        }

        Interlocked.Increment(ref _rounds);
    }

    /// <summary>Publishes round after round in the background until disposed (which waits for the last round).</summary>
    public Background KeepPublishing() => new(this);

    public sealed class Background : IAsyncDisposable
    {
        private readonly Publishers _publishers;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private readonly int _start;

        public Background(Publishers publishers)
        {
            _publishers = publishers;
            _start = publishers.Rounds;
            _loop = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    await publishers.RoundAsync();
                }
            });
        }

        /// <summary>Waits until <paramref name="count"/> rounds ran since the start (fails early if the loop failed).</summary>
        public Task WaitForRoundsAsync(int count) =>
            Eventually.WaitAsync(() => _loop.IsCompleted || _publishers.Rounds - _start >= count, $"{count} publishing rounds", TimeSpan.FromSeconds(60))
                .ContinueWith(t => _loop.IsFaulted ? _loop : t, TaskScheduler.Default).Unwrap();

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _loop;
            _stop.Dispose();
        }
    }
}
