using Joold.Relay;
using Joold.Stats;
using Joold.Testing;

namespace Joold.Transports.Conformance;

/// <summary>How a running node stops: cancelled, disposed, or disposed in the middle of sending.</summary>
public abstract partial class TransportConformanceTests
{
    [Fact]
    public async Task Cancelling_the_run_ends_it_promptly_and_only_then()
    {
        var (a, b) = await StartPairAsync();
        await CrossAsync(a, b, ConformanceBatches.Valid(2), "a batch at B");
        Assert.False(b.Run.IsCompleted, "the run ended on its own; only cancellation or disposal may end it");

        await b.StopAsync();

        Assert.True(b.Run.IsCompletedSuccessfully || b.Run.IsCanceled, $"the run ended {b.Run.Status}: {b.Run.Exception?.InnerException?.Message}");
    }

    [Fact]
    public async Task Disposing_ends_a_pending_run()
    {
        var (a, b) = await StartPairAsync();
        await CrossAsync(a, b, ConformanceBatches.Valid(2), "a batch at B");

        // No cancellation: disposal alone must end the receive.
        await b.Node.DisposeAsync();

        await Deadline.WaitAsync(b.Run.ContinueWith(_ => { }, TaskScheduler.Default), "the run to end once the node is disposed");
        Assert.True(b.Run.IsCompletedSuccessfully || b.Run.IsCanceled, $"the run ended {b.Run.Status}: {b.Run.Exception?.InnerException?.Message}");
    }

    [Fact]
    public async Task A_send_with_a_cancelled_token_ends_promptly_and_the_sink_still_works()
    {
        var (a, b) = await StartPairAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        try
        {
            await Deadline.WaitAsync(a.SendAsync(ConformanceBatches.Valid(1), cancelled.Token), "a send with a cancelled token to end");
        }
        catch (OperationCanceledException)
        {
            // Allowed: the relay treats cancellation as a hard stop either way.
        }

        await CrossAsync(a, b, ConformanceBatches.Valid(2), "a batch sent after the cancelled one");
    }

    [Fact]
    public async Task Stopping_while_sending_ends_every_send_without_an_exception()
    {
        var (a, b) = await StartPairAsync();
        var failures = new List<Exception>();
        var afterDispose = new List<bool>();
        bool disposed = false;
        byte[] batch = ConformanceBatches.Valid(36);

        // One send at a time, as a pump does, until well after the node is gone.
        var pump = Task.Run(async () =>
        {
            while (true)
            {
                bool wasDisposed = Volatile.Read(ref disposed);
                try
                {
                    bool sent = await a.Node.Sink.SendAsync(new SessionBatch(batch, SessionSide.Local), CancellationToken.None);
                    if (wasDisposed)
                    {
                        afterDispose.Add(sent);
                    }
                }
                catch (Exception e)
                {
                    failures.Add(e);
                }

                if (afterDispose.Count >= 100)
                {
                    return;
                }
            }
        });
        await Eventually.WaitAsync(() => b.Counters.GetSnapshot().NetReceivedPackets >= 20, "batches flowing from A to B");

        await a.Node.DisposeAsync();
        Volatile.Write(ref disposed, true);

        await Deadline.WaitAsync(pump, "100 sends after disposal to end");
        Assert.Empty(failures);
        Assert.All(afterDispose, sent => Assert.False(sent, "a send after disposal reported a delivery"));
    }
}
