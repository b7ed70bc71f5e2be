namespace Joold.Core.Tests.Relay;

/// <summary>Tests that count the whole process's allocations: they run alone, after the parallel ones.</summary>
[CollectionDefinition(nameof(AllocationMeasurements), DisableParallelization = true)]
public sealed class AllocationMeasurements;
