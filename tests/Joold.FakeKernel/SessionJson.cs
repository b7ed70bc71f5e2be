using System.Text.Json;
using System.Text.Json.Nodes;
using Joold.Sessions;

namespace Joold.FakeKernel;

/// <summary>One session as one line of JSON, for the executable's <c>db</c> command; "hex" is the exact 36 bytes.</summary>
public static class SessionJson
{
    public static string Write(in SessionEntry session)
    {
        var bytes = new byte[SessionEntry.SerializedSize];
        session.Write(bytes);
        var json = new JsonObject
        {
            ["proto"] = session.Protocol.ToString().ToUpperInvariant(),
            ["src6"] = session.Source6.ToString(),
            ["src6Port"] = session.Source6Port,
            ["src4"] = session.Source4.ToString(),
            ["src4Port"] = session.Source4Port,
            ["dst4"] = session.Destination4.ToString(),
            ["dst4Port"] = session.Destination4Port,
            ["expiration"] = session.ExpirationMilliseconds,
            ["state"] = (int)session.State,
            ["timer"] = (int)session.Timer,
            ["hex"] = Convert.ToHexString(bytes),
        };
        return json.ToJsonString();
    }

    /// <summary>Reads a line written by <see cref="Write"/> (from its "hex" field).</summary>
    public static SessionEntry Read(string line)
    {
        using var document = JsonDocument.Parse(line);
        string hex = document.RootElement.GetProperty("hex").GetString() ?? throw new FormatException($"No \"hex\" in {line}");
        return SessionEntry.Read(Convert.FromHexString(hex));
    }
}
