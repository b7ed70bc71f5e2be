using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Joold.Configuration;

/// <summary>
/// Checks a section against an options type before System.Text.Json binds it, so a value of the wrong kind is
/// reported in the operator's words ("'port' is a string ("x"); expected a whole number") rather than in .NET's
/// ("could not be converted to System.Nullable`1[System.Int32]").
/// </summary>
internal static class BindCheck
{
    public static void Check(ConfigSection section, Type options)
    {
        foreach (var property in options.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is not { IsPublic: true } || property.GetCustomAttribute<JsonIgnoreAttribute>() is not null)
            {
                continue;
            }

            string key = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? property.Name;
            foreach (var written in section.Element.EnumerateObject())
            {
                // Named as the operator wrote it, whatever the property's own spelling.
                if (string.Equals(written.Name, key, StringComparison.OrdinalIgnoreCase))
                {
                    CheckValue(section.Source, written.Name, written.Value, property.PropertyType, IsNullable(property));
                }
            }
        }
    }

    private static void CheckValue(string source, string key, JsonElement value, Type type, bool nullable)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (value.ValueKind == JsonValueKind.Null)
        {
            if (nullable || underlying is not null)
            {
                return;
            }

            throw new JooldConfigException(source, key, "null", IntegerRange(type) is not null ? "a whole number" : Expected(type) ?? "a value");
        }

        type = underlying ?? type;
        string? expected = Expected(type);
        bool fits = type switch
        {
            _ when type == typeof(string) => value.ValueKind == JsonValueKind.String,
            _ when type == typeof(bool) => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            _ when IntegerRange(type) is { } range => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long n) && n >= range.Min && n <= range.Max,
            _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => value.ValueKind == JsonValueKind.Number,
            _ when ElementType(type) is not null => value.ValueKind == JsonValueKind.Array,
            _ => true,
        };
        if (!fits)
        {
            // The range matters only to a number that misses it; the plugin checks its own, narrower range after binding.
            bool notANumber = IntegerRange(type) is not null && value.ValueKind != JsonValueKind.Number;
            throw new JooldConfigException(source, key, ConfigSection.Describe(value), notANumber ? "a whole number" : expected!);
        }

        if (ElementType(type) is { } element)
        {
            int i = 0;
            foreach (var item in value.EnumerateArray())
            {
                CheckValue(source, $"{key}[{i++}]", item, element, nullable: !element.IsValueType);
            }
        }
    }

    /// <summary>What a value of <paramref name="type"/> is called in an error message; null for types not checked here.</summary>
    private static string? Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return "a string";
        }

        if (type == typeof(bool))
        {
            return "true or false";
        }

        if (IntegerRange(type) is { } range)
        {
            return string.Create(CultureInfo.InvariantCulture, $"a whole number from {range.Min} to {range.Max}");
        }

        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            return "a number";
        }

        return ElementType(type) is { } element ? $"an array of {Plural(Expected(element) ?? "values")}" : null;
    }

    private static string Plural(string expected) => expected switch
    {
        "a string" => "strings",
        "a number" => "numbers",
        "true or false" => "booleans",
        _ when expected.StartsWith("a whole number", StringComparison.Ordinal) => "whole numbers" + expected["a whole number".Length..],
        _ => expected,
    };

    private static (long Min, long Max)? IntegerRange(Type type) => type switch
    {
        _ when type == typeof(int) => (int.MinValue, int.MaxValue),
        _ when type == typeof(long) => (long.MinValue, long.MaxValue),
        _ when type == typeof(short) => (short.MinValue, short.MaxValue),
        _ when type == typeof(byte) => (byte.MinValue, byte.MaxValue),
        _ when type == typeof(ushort) => (ushort.MinValue, ushort.MaxValue),
        _ when type == typeof(uint) => (uint.MinValue, uint.MaxValue),
        _ => null,
    };

    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        return type != typeof(string) && type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) && type.GetGenericArguments() is [var element]
            ? element
            : null;
    }

    private static bool IsNullable(PropertyInfo property) =>
        !property.PropertyType.IsValueType && new NullabilityInfoContext().Create(property).WriteState != NullabilityState.NotNull;
}
