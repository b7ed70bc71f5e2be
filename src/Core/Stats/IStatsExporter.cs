namespace Joold.Stats;

/// <summary>
/// Publishes the counters somewhere (a UDP CSV server, a metrics endpoint, ...). It gets
/// <see cref="IJooldStatistics"/> from dependency injection and reads a snapshot whenever it needs one.
/// </summary>
public interface IStatsExporter : Relay.IJooldComponent
{
}
