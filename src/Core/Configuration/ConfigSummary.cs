using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Joold.Configuration;

/// <summary>
/// A section as one bounded log line: each value, array and object is cut short past a limit, the whole line
/// too, secret keys read <c>***</c>, and the user:password part of a URL (nats://user:pw@host) is hidden.
/// </summary>
internal static class ConfigSummary
{
    public const int MaxValueChars = 120;
    public const int MaxItems = 16;
    public const int MaxLineChars = 2000;
    public const string Hidden = "***";

    public static string Format(JsonElement element, IEnumerable<string>? secretKeys)
    {
        var secrets = new HashSet<string>(secretKeys ?? [], StringComparer.OrdinalIgnoreCase);
        var text = new StringBuilder();
        Append(text, element, secrets);
        if (text.Length <= MaxLineChars)
        {
            return text.ToString();
        }

        return string.Create(CultureInfo.InvariantCulture, $"{text.ToString(0, MaxLineChars)}… (cut at {MaxLineChars} of {text.Length} characters)");
    }

    private static void Append(StringBuilder text, JsonElement element, HashSet<string> secrets)
    {
        // Past the line's limit the rest would be cut anyway: stop walking a huge document.
        if (text.Length > MaxLineChars)
        {
            return;
        }

        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                text.Append('{');
                int properties = 0;
                foreach (var property in element.EnumerateObject())
                {
                    if (properties++ == MaxItems)
                    {
                        text.Append(", … (").Append(element.EnumerateObject().Count() - MaxItems).Append(" more keys)");
                        break;
                    }

                    text.Append(properties == 1 ? "" : ", ").Append(Quote(property.Name)).Append(": ");
                    if (secrets.Contains(property.Name))
                    {
                        text.Append('"').Append(Hidden).Append('"');
                    }
                    else
                    {
                        Append(text, property.Value, secrets);
                    }
                }

                text.Append('}');
                break;
            case JsonValueKind.Array:
                text.Append('[');
                int items = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (items++ == MaxItems)
                    {
                        text.Append(", … (").Append(element.GetArrayLength() - MaxItems).Append(" more)");
                        break;
                    }

                    text.Append(items == 1 ? "" : ", ");
                    Append(text, item, secrets);
                }

                text.Append(']');
                break;
            case JsonValueKind.String:
                text.Append(Quote(UrlPassword.Hide(element.GetString()!)));
                break;
            default:
                string raw = element.GetRawText();
                text.Append(raw.Length <= MaxValueChars ? raw : string.Create(CultureInfo.InvariantCulture, $"{raw[..MaxValueChars]}… ({raw.Length} characters)"));
                break;
        }
    }

    /// <summary>A JSON string (control characters escaped, so the line stays one line), cut past the value limit.</summary>
    private static string Quote(string value)
    {
        if (value.Length <= MaxValueChars)
        {
            return JsonSerializer.Serialize(value);
        }

        return string.Create(CultureInfo.InvariantCulture, $"{JsonSerializer.Serialize(value[..MaxValueChars])[..^1]}…\" ({value.Length} characters)");
    }
}
