using System.Text.Json;

namespace Joold.Configuration;

/// <summary>
/// Refuses an object that gives a key twice. Keys match case-insensitively, so "ttl" and "TTL" are the same key;
/// which one a reader would take (cJSON the first, most JSON libraries the last) is not the operator's guess to make.
/// </summary>
internal static class DuplicateKeys
{
    public static void Check(string source, JsonElement element, string? path = null)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                foreach (var property in element.EnumerateObject())
                {
                    if (!seen.TryAdd(property.Name, property.Name))
                    {
                        string where = path is null ? "" : $" in '{Shorten(path)}'";
                        string spellings = seen[property.Name] == property.Name ? "" : $" (as '{Shorten(seen[property.Name])}' and '{Shorten(property.Name)}')";
                        throw new JooldConfigException(
                            $"{source}: the key '{Shorten(property.Name)}' appears twice{where}{spellings}; keys are case-insensitive, give each once.");
                    }

                    Check(source, property.Value, path is null ? property.Name : $"{path}.{property.Name}");
                }

                break;
            case JsonValueKind.Array:
                int i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Check(source, item, $"{path}[{i++}]");
                }

                break;
        }
    }

    private static string Shorten(string name) => name.Length <= 60 ? name : name[..60] + "…";
}
