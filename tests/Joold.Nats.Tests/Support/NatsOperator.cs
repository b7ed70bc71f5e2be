using System.Text;
using System.Text.Json.Nodes;
using NATS.NKeys;

namespace Joold.Nats.Tests.Support;

/// <summary>
/// Decentralised NATS authentication as <c>nsc</c> sets it up, made in process: an operator, its system account, one
/// account with JetStream, and users of that account whose <c>.creds</c> files hold a JWT and an NKey seed. <see cref="ServerConfig"/>
/// is what a nats-server needs to trust them (operator JWT, the account preloaded in a memory resolver).
/// </summary>
internal sealed class NatsOperator : IDisposable
{
    private readonly KeyPair _operator = KeyPair.CreatePair(PrefixByte.Operator);
    private readonly KeyPair _account = KeyPair.CreatePair(PrefixByte.Account);
    private readonly KeyPair _system = KeyPair.CreatePair(PrefixByte.Account);

    public string ServerConfig =>
        $"""
        operator: "{Jwt(_operator, _operator, "operator", new JsonObject { ["system_account"] = _system.GetPublicKey() })}"
        system_account: {_system.GetPublicKey()}
        resolver: MEMORY
        resolver_preload: {"{"} {_account.GetPublicKey()}: "{AccountJwt(_account, jetStream: true)}", {_system.GetPublicKey()}: "{AccountJwt(_system, jetStream: false)}" {"}"}
        """;

    /// <summary>The text of a .creds file for a new user of the account.</summary>
    public string NewUserCredentials(string name)
    {
        using var user = KeyPair.CreatePair(PrefixByte.User);
        string jwt = Jwt(_account, user, "user", new JsonObject { ["pub"] = new JsonObject(), ["sub"] = new JsonObject(), ["subs"] = -1, ["data"] = -1, ["payload"] = -1 }, name);
        return $"""
            -----BEGIN NATS USER JWT-----
            {jwt}
            ------END NATS USER JWT------

            ************************* IMPORTANT *************************
            NKEY Seed printed below can be used to sign and prove identity.
            NKEYs are sensitive and should be treated as secrets.

            -----BEGIN USER NKEY SEED-----
            {user.GetSeed()}
            ------END USER NKEY SEED------

            *************************************************************

            """;
    }

    public void Dispose()
    {
        _operator.Dispose();
        _account.Dispose();
        _system.Dispose();
    }

    private string AccountJwt(KeyPair account, bool jetStream)
    {
        var limits = new JsonObject
        {
            ["subs"] = -1,
            ["data"] = -1,
            ["payload"] = -1,
            ["imports"] = -1,
            ["exports"] = -1,
            ["wildcards"] = true,
            ["conn"] = -1,
            ["leaf"] = -1,
        };
        if (jetStream)
        {
            // Not on the system account: nats-server refuses JetStream there.
            (limits["mem_storage"], limits["disk_storage"], limits["streams"], limits["consumer"]) = (-1, -1, -1, -1);
        }

        return Jwt(_operator, account, "account", new JsonObject { ["limits"] = limits, ["default_permissions"] = new JsonObject { ["pub"] = new JsonObject(), ["sub"] = new JsonObject() } });
    }

    /// <summary>A JWT about <paramref name="subject"/>, signed by <paramref name="issuer"/> (ed25519-nkey).</summary>
    private static string Jwt(KeyPair issuer, KeyPair subject, string type, JsonObject nats, string? name = null)
    {
        nats["type"] = type;
        nats["version"] = 2;
        var claims = new JsonObject
        {
            ["jti"] = Guid.NewGuid().ToString("N").ToUpperInvariant(),
            ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["iss"] = issuer.GetPublicKey(),
            ["name"] = name ?? type,
            ["sub"] = subject.GetPublicKey(),
            ["nats"] = nats,
        };
        string signed = $"{Base64Url("""{"typ":"JWT","alg":"ed25519-nkey"}"""u8.ToArray())}.{Base64Url(Encoding.UTF8.GetBytes(claims.ToJsonString()))}";
        byte[] signature = new byte[64];
        issuer.Sign(Encoding.ASCII.GetBytes(signed), signature);
        return $"{signed}.{Base64Url(signature)}";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
