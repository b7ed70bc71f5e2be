namespace Joold.Nats.Tests;

/// <summary>
/// Tests that run whole daemons, fake kernels and servers as processes take one at a time: a machine of two
/// cores running several such tests at once is testing its scheduler, not the plugin.
/// </summary>
[CollectionDefinition(nameof(DaemonCollection), DisableParallelization = true)]
public sealed class DaemonCollection
{
}
