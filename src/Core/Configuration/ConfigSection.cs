using System.Globalization;
using System.Text.Json;

namespace Joold.Configuration;

/// <summary>
/// One plugin's JSON configuration and where it came from. Lookups follow C joold's cJSON rules: keys match
/// case-insensitively, the first match wins, unknown keys are ignored and a missing key keeps the default.
/// </summary>
public sealed class ConfigSection
{
    private static readonly JsonSerializerOptions BindOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>2^63: the first double above every long.</summary>
    private const double TwoPower63 = 9223372036854775808.0;

    /// <summary>Wraps a plugin's configuration object.</summary>
    /// <param name="source">Where it came from, for error messages: a file name or "command line".</param>
    /// <param name="element">The JSON object; anything else throws <see cref="JooldConfigException"/>.</param>
    public ConfigSection(string source, JsonElement element)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new JooldConfigException($"{source}: the configuration is {Describe(element)}; expected a JSON object.");
        }

        Source = source;
        Element = element;
    }

    /// <summary>The file path, or "command line", for error messages.</summary>
    public string Source { get; }

    /// <summary>The raw JSON object.</summary>
    public JsonElement Element { get; }

    /// <summary>Parses a file's text; malformed JSON names the file, line and column.</summary>
    public static ConfigSection Parse(string source, string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
            CheckStrings(source, document.RootElement, "");
            return new ConfigSection(source, document.RootElement.Clone());
        }
        catch (JsonException e)
        {
            long line = (e.LineNumber ?? 0) + 1;
            long column = (e.BytePositionInLine ?? 0) + 1;
            throw new JooldConfigException($"{source}:{line}:{column}: JSON syntax error: {FirstSentence(e.Message)}", e);
        }
    }

    /// <summary>Reads and parses a file; a missing or unreadable file names the file and the reason.</summary>
    public static ConfigSection Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new JooldConfigException($"{path}: cannot read the file: {e.Message}", e);
        }

        return Parse(path, text);
    }

    /// <summary>Case-insensitive lookup, first match wins (cJSON_GetObjectItem).</summary>
    public bool TryGetProperty(string key, out JsonElement value)
    {
        foreach (var property in Element.EnumerateObject())
        {
            if (string.Equals(property.Name, key, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>A string value; anything else (a number too) is rejected, as C joold does.</summary>
    public string? GetString(string key, string? defaultValue)
    {
        if (!TryGetProperty(key, out var value))
        {
            return defaultValue;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new JooldConfigException(Source, key, Describe(value), "a string");
    }

    /// <summary>
    /// An integer in [<paramref name="min"/>, <paramref name="max"/>]. Like cJSON, a fraction is truncated; a value
    /// outside the 32-bit range is "not a valid integer".
    /// </summary>
    public int GetInt32(string key, int defaultValue, int min, int max)
    {
        long value = GetInt64(key, defaultValue, int.MinValue, int.MaxValue, "an integer");
        return value < min || value > max
            ? throw new JooldConfigException(Source, key, value.ToString(CultureInfo.InvariantCulture), $"an integer from {min} to {max}")
            : (int)value;
    }

    /// <summary>A 64-bit integer in range; fractions are truncated.</summary>
    public long GetInt64(string key, long defaultValue, long min, long max, string? expected = null)
    {
        if (!TryGetProperty(key, out var value))
        {
            return defaultValue;
        }

        expected ??= $"an integer from {min} to {max}";
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out double number) || double.IsNaN(number))
        {
            throw new JooldConfigException(Source, key, Describe(value), expected);
        }

        // Whole numbers are read exactly; a double cannot tell 2^53 + 1 from 2^53, or 2^63 from long.MaxValue.
        double truncated = Math.Truncate(number);
        long integer = value.TryGetInt64(out long exact) ? exact
            : truncated >= -TwoPower63 && truncated < TwoPower63 ? (long)truncated
            : throw new JooldConfigException(Source, key, value.GetRawText(), expected);
        return integer < min || integer > max
            ? throw new JooldConfigException(Source, key, value.GetRawText(), expected)
            : integer;
    }

    /// <summary>A JSON true or false.</summary>
    public bool GetBoolean(string key, bool defaultValue)
    {
        if (!TryGetProperty(key, out var value))
        {
            return defaultValue;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new JooldConfigException(Source, key, Describe(value), "true or false"),
        };
    }

    /// <summary>Binds the whole section to an options type with System.Text.Json (case-insensitive names).</summary>
    public T Bind<T>()
        where T : new()
    {
        try
        {
            return Element.Deserialize<T>(BindOptions) ?? new T();
        }
        catch (JsonException e)
        {
            string key = string.IsNullOrEmpty(e.Path) ? "(root)" : e.Path;
            throw new JooldConfigException($"{Source}: '{key}': {FirstSentence(e.Message)}", e);
        }
    }

    /// <summary>How a JSON value reads in an error message: its kind, and the value itself when it is short.</summary>
    public static string Describe(JsonElement value)
    {
        string kind = value.ValueKind switch
        {
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            JsonValueKind.Null => "null",
            JsonValueKind.Array => "an array",
            JsonValueKind.Object => "an object",
            _ => "missing",
        };
        string raw = value.ValueKind is JsonValueKind.Array or JsonValueKind.Object or JsonValueKind.Undefined ? "" : value.GetRawText();
        return raw.Length is > 0 and <= 40 && value.ValueKind != JsonValueKind.Null ? $"{kind} ({raw})" : kind;
    }

    /// <summary>
    /// The parser accepts a \u escape of half a surrogate pair, which only fails when the string is read, as an
    /// <see cref="InvalidOperationException"/> deep in a plugin (found by fuzz/): every name and string is read once here.
    /// </summary>
    private static void CheckStrings(string source, JsonElement element, string path)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    string name = ReadOrThrow(source, () => property.Name, path);
                    CheckStrings(source, property.Value, path.Length == 0 ? name : $"{path}.{name}");
                }

                break;
            case JsonValueKind.Array:
                int index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    CheckStrings(source, item, $"{path}[{index++}]");
                }

                break;
            case JsonValueKind.String:
                _ = ReadOrThrow(source, element.GetString, path);
                break;
        }
    }

    private static string ReadOrThrow(string source, Func<string?> read, string path)
    {
        try
        {
            return read() ?? "";
        }
        catch (InvalidOperationException e)
        {
            string where = path.Length == 0 ? "at the top level" : $"in '{path}'";
            throw new JooldConfigException($"{source}: JSON syntax error {where}: a \\u escape is half a surrogate pair (\\uD800-\\uDFFF without its other half).", e);
        }
    }

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (end > 0 ? message[..end] : message).Trim();
    }
}
