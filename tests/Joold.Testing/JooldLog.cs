namespace Joold.Testing;

/// <summary>
/// Lines a joold daemon logs (on stderr) that tests and tools wait for or read values from. They are part of what
/// the daemon promises its operators, so a change here is a change of behaviour.
/// </summary>
public static class JooldLog
{
    /// <summary>Every component started and the relay runs.</summary>
    public const string RelayStarted = "Relay started";

    /// <summary>Followed by the address and port the Unicast transport bound (the real port when 0 was configured).</summary>
    public const string UnicastListening = "Unicast transport listening on UDP ";

    /// <summary>Followed by the address and port a stats server bound, one line per listening socket.</summary>
    public const string StatsListening = "Stats server listening on UDP ";
}
