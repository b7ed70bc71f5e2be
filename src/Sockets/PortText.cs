using System.Globalization;
using System.Text.Json;
using Joold.Configuration;

namespace Joold.Sockets;

/// <summary>Port settings: decimal digits only, 1 to 65535, as C joold accepts them.</summary>
public static class PortText
{
    /// <summary>The lowest port a setting may name (0 would let the kernel pick one).</summary>
    public const int MinPort = 1;

    /// <summary>The highest port.</summary>
    public const int MaxPort = 65535;

    /// <summary>Whether <paramref name="text"/> is ASCII digits only (no sign, no spaces) naming a port from 1 to 65535.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out int port)
    {
        port = 0;
        return text.Length > 0
            && !text.ContainsAnyExceptInRange('0', '9')
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port)
            && port is >= MinPort and <= MaxPort;
    }

    /// <summary>
    /// Reads the port setting <paramref name="key"/>: a string of digits ("6400"), and also a JSON integer when
    /// <paramref name="allowNumber"/>; <paramref name="defaultPort"/> when the key is absent. A bad value throws one
    /// line naming the file, the key and the value.
    /// </summary>
    public static int Read(ConfigSection section, string key, int defaultPort, bool allowNumber)
    {
        ArgumentNullException.ThrowIfNull(section);
        if (!section.TryGetProperty(key, out var value))
        {
            return defaultPort;
        }

        string expected = allowNumber
            ? $"a port from {MinPort} to {MaxPort} (a string such as \"{defaultPort}\", or an integer)"
            : $"a UDP port number from {MinPort} to {MaxPort}";
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                string text = value.GetString()!;
                return TryParse(text, out int port) ? port : throw new JooldConfigException(section.Source, key, $"\"{text}\"", expected);
            case JsonValueKind.Number when allowNumber:
                return (int)section.GetInt64(key, defaultPort, MinPort, MaxPort, expected);
            default:
                throw new JooldConfigException(
                    section.Source,
                    key,
                    ConfigSection.Describe(value),
                    allowNumber ? expected : $"a string such as \"{defaultPort}\" (C joold requires the port in quotes)");
        }
    }
}
