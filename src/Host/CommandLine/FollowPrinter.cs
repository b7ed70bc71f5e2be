using Joold.Relay;
using Joold.Sessions;

namespace Joold.Host.CommandLine;

/// <summary>The peer-side sink of <c>joold follow</c>: one CSV line per session on stdout, as <c>jool session follow</c>.</summary>
internal sealed class FollowPrinter(TextWriter output) : ISessionSink
{
    public string Name => "follow (stdout)";

    public SessionSide Side => SessionSide.Peer;

    public ValueTask StartAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async ValueTask<bool> SendAsync(SessionBatch batch, CancellationToken cancellationToken)
    {
        foreach (var session in SessionContainer.ReadAll(batch.Entries.Span))
        {
            await output.WriteLineAsync(FollowLine.Format(session)).ConfigureAwait(false);
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
