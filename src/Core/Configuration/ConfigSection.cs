using System.Globalization;
using System.Text.Json;

namespace Joold.Configuration;

/// <summary>
/// One plugin's JSON configuration and where it came from. Lookups follow C joold's cJSON rules: keys match
/// case-insensitively, unknown keys are ignored and a missing key keeps the default. Unlike cJSON, an object that
/// gives a key twice ("ttl" and "TTL") is refused, so no reader has to guess which one the operator meant.
/// </summary>
public sealed class ConfigSection
{
    private static readonly JsonSerializerOptions BindOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>The largest configuration file read (1 MiB); a larger one is refused before it fills memory.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    /// <summary>2^63: the first double above every long.</summary>
    private const double TwoPower63 = 9223372036854775808.0;

    /// <summary>Wraps a plugin's configuration object.</summary>
    /// <param name="source">Where it came from, for error messages: a file name or "command line".</param>
    /// <param name="element">The JSON object; anything else, or a key given twice, throws <see cref="JooldConfigException"/>.</param>
    public ConfigSection(string source, JsonElement element)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new JooldConfigException($"{source}: the configuration is {Describe(element)}; expected a JSON object.");
        }

        DuplicateKeys.Check(source, element);

        Source = source;
        Element = element;
    }

    /// <summary>The file path, or "command line", for error messages.</summary>
    public string Source { get; }

    /// <summary>The raw JSON object.</summary>
    public JsonElement Element { get; }

    /// <summary>
    /// Parses a file's text. An empty text, JSON that ends early and malformed JSON are each one line naming the
    /// file (and the line and column), in words, not the parser's.
    /// </summary>
    public static ConfigSection Parse(string source, string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw JsonSyntaxError.Describe(source, json, e);
        }

        using (document)
        {
            CheckStrings(source, document.RootElement, "");
            return new ConfigSection(source, document.RootElement.Clone());
        }
    }

    /// <summary>
    /// Reads and parses a file. Only a regular file of at most <see cref="MaxFileBytes"/> is read (a FIFO, a device
    /// or a directory is refused before it is opened); a missing or unreadable file names the file and the reason.
    /// </summary>
    public static ConfigSection Load(string path) => Parse(path, ConfigFile.Read(path));

    /// <summary>
    /// Reads a file that a key names (a certificate, a private key, credentials) with the limits of a configuration
    /// file; a refusal names <paramref name="source"/>, <paramref name="key"/>, the file and the reason, then
    /// <paramref name="expected"/>.
    /// </summary>
    public static string ReadFile(string source, string key, string path, string expected) => ConfigFile.ReadNamed(source, key, path, expected);

    /// <summary>Case-insensitive lookup (cJSON_GetObjectItem); a section never holds a key twice.</summary>
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

    /// <summary>
    /// Binds the whole section to an options type with System.Text.Json (case-insensitive names). A value of the
    /// wrong kind for its property (a string for an int, say) throws one line naming the key, what was found and
    /// what was expected.
    /// </summary>
    public T Bind<T>()
        where T : new()
    {
        BindCheck.Check(this, typeof(T));
        try
        {
            return Element.Deserialize<T>(BindOptions) ?? new T();
        }
        catch (JsonException e)
        {
            // What the check above does not cover (a nested options type, say): the key, never .NET's type names.
            string key = string.IsNullOrEmpty(e.Path) ? "the configuration" : $"'{e.Path.TrimStart('$', '.')}'";
            throw new JooldConfigException($"{Source}: {key} has a value of the wrong kind.", e);
        }
    }

    /// <summary>
    /// The section as one bounded log line: long values, arrays and objects are cut short, and the values of
    /// <paramref name="secretKeys"/> (matched case-insensitively, at any depth) and of URL passwords read <c>***</c>.
    /// </summary>
    public string Summarize(IEnumerable<string>? secretKeys = null) => ConfigSummary.Format(Element, secretKeys);

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
}
