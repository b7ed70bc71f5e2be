namespace Joold.LoadTest;

/// <summary>One run of the comparison: a scenario, a daemon, a round, and what it measured (null when it failed).</summary>
internal sealed record RoundResult(Scenario Scenario, string Daemon, int Round, LoadResult? Result, string LoadAverage, string? Failure);
