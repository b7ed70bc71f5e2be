using Joold.Relay;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registration helpers for plugins.</summary>
public static class SessionTransportServiceCollectionExtensions
{
    /// <summary>
    /// Registers one singleton that is both a source and a sink (a socket that sends and receives, say), so the host
    /// starts and disposes it once and the relay sees it on both lists.
    /// </summary>
    public static IServiceCollection AddSessionTransport<T>(this IServiceCollection services, Func<IServiceProvider, T> factory)
        where T : class, ISessionSource, ISessionSink
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(factory);
        services.AddSingleton(factory);
        services.AddSingleton<ISessionSource>(provider => provider.GetRequiredService<T>());
        services.AddSingleton<ISessionSink>(provider => provider.GetRequiredService<T>());
        return services;
    }
}
