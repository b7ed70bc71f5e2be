using System.Buffers;
using System.Text.Json;
using NATS.Client.Core;

namespace Joold.Plugins.Nats;

/// <summary>
/// JetStream's answer to a publish: <c>{"stream":"JOOLD","seq":12,"duplicate":true}</c>, or
/// <c>{"error":{"code":503,"description":"..."}}</c>. A struct read straight from the reply's bytes, so a
/// successful publish allocates nothing here (the client's own JSON model allocates an object and strings).
/// </summary>
internal readonly record struct PubAck(ulong Sequence, bool Duplicate, int ErrorCode, string? Error)
{
    public bool IsError => ErrorCode != 0 || Error is not null;
}

/// <summary>Reads <see cref="PubAck"/> from the reply payload; only an error's description is a string.</summary>
internal sealed class PubAckDeserializer : INatsDeserialize<PubAck>
{
    public static readonly PubAckDeserializer Instance = new();

    public PubAck Deserialize(in ReadOnlySequence<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return new PubAck(0, false, 0, "an empty reply");
        }

        var reader = new Utf8JsonReader(buffer);
        ulong sequence = 0;
        bool duplicate = false;
        int code = 0;
        string? error = null;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return new PubAck(0, false, 0, "a reply that is not a JSON object");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("seq"u8))
                {
                    reader.Read();
                    sequence = reader.GetUInt64();
                }
                else if (reader.ValueTextEquals("duplicate"u8))
                {
                    reader.Read();
                    duplicate = reader.TokenType == JsonTokenType.True;
                }
                else if (reader.ValueTextEquals("error"u8))
                {
                    reader.Read();
                    (code, error) = ReadError(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return new PubAck(0, false, 0, $"a malformed reply ({e.Message})");
        }

        return new PubAck(sequence, duplicate, code, error);
    }

    private static (int Code, string Error) ReadError(ref Utf8JsonReader reader)
    {
        int code = -1;
        string error = "unknown error";
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return (code, error);
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("code"u8))
            {
                reader.Read();
                code = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out int value) ? value : -1;
            }
            else if (reader.ValueTextEquals("description"u8))
            {
                reader.Read();
                error = reader.GetString() ?? error;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return (code, error);
    }
}
