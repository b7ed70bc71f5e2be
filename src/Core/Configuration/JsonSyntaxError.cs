using System.Text;
using System.Text.Json;

namespace Joold.Configuration;

/// <summary>
/// Turns System.Text.Json's parse errors into the operator's words: an empty file, JSON that ends early, or a
/// syntax error at a line and column. The reader's own wording about its buffers (isFinalBlock, BytePositionInLine)
/// never reaches the operator.
/// </summary>
internal static class JsonSyntaxError
{
    public static JooldConfigException Describe(string source, string json, JsonException error)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return new JooldConfigException($"{source}: the file is empty; expected a JSON object.", error);
        }

        long line = (error.LineNumber ?? 0) + 1;
        long column = (error.BytePositionInLine ?? 0) + 1;
        if (IsAtEnd(json, error))
        {
            return new JooldConfigException(
                $"{source}: the JSON ends early at line {line}; expected the rest of the object (a value, a closing quote, '}}' or ']').",
                error);
        }

        return new JooldConfigException($"{source}:{line}:{column}: JSON syntax error: {Reason(error.Message)}", error);
    }

    /// <summary>Whether the reader failed where the text ends (trailing spaces aside): the JSON was cut short.</summary>
    private static bool IsAtEnd(string json, JsonException error)
    {
        if (error.LineNumber is not long line || error.BytePositionInLine is not long position)
        {
            return false;
        }

        byte[] bytes = Encoding.UTF8.GetBytes(json.TrimEnd());
        long offset = 0;
        for (long l = 0; l < line; l++)
        {
            int newline = Array.IndexOf(bytes, (byte)'\n', (int)Math.Min(offset, bytes.Length));
            if (newline < 0)
            {
                return true;
            }

            offset = newline + 1;
        }

        return offset + position >= bytes.Length;
    }

    /// <summary>The reader's first sentences about the text itself, without its position and buffer details.</summary>
    private static string Reason(string message)
    {
        foreach (string marker in new[] { " LineNumber:", " Path:" })
        {
            int end = message.IndexOf(marker, StringComparison.Ordinal);
            if (end >= 0)
            {
                message = message[..end];
            }
        }

        var sentences = message.Split(". ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(s => !s.Contains("isFinalBlock", StringComparison.Ordinal) && !s.Contains("BytePosition", StringComparison.Ordinal))
            .Select(s => s.TrimEnd('.'));
        string reason = string.Join(". ", sentences);
        return reason.Length == 0 ? "this is not valid JSON." : reason + ".";
    }
}
