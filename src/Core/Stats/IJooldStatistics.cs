namespace Joold.Stats;

/// <summary>Read access to the daemon's counters, for exporters.</summary>
public interface IJooldStatistics
{
    /// <summary>A consistent-enough copy of every counter (each value is read atomically).</summary>
    StatsSnapshot GetSnapshot();
}
