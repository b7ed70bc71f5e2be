using Joold.Relay;
using Microsoft.Extensions.DependencyInjection;

namespace Joold.Tls.Tests.Support;

/// <summary>Stands in for JoolNetlink's advertiser: counts the advertisements a transport asks for.</summary>
internal sealed class RecordingAdvertiser : ISessionAdvertiser
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public ValueTask AdvertiseAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        return ValueTask.CompletedTask;
    }

    /// <summary>A service provider holding only this advertiser, as the host's would hold JoolNetlink's.</summary>
    public IServiceProvider Services() => new ServiceCollection().AddSingleton<ISessionAdvertiser>(this).BuildServiceProvider();
}
