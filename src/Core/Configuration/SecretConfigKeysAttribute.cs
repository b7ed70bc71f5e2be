namespace Joold.Configuration;

/// <summary>
/// Put on a plugin's entry point to name the keys of its section that hold secrets (a password, a token, a key's
/// content; a path to a key file is not a secret). The host logs each plugin's configuration at start, and prints
/// these keys' values as <c>***</c>, at any depth of the section, whatever their case. Example:
/// <c>[SecretConfigKeys("password", "token")] public sealed class MyPlugin : IJooldPlugin</c>.
/// </summary>
/// <param name="keys">The secret keys, matched case-insensitively.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class SecretConfigKeysAttribute(params string[] keys) : Attribute
{
    /// <summary>The secret keys, as the plugin declared them.</summary>
    public IReadOnlyList<string> Keys { get; } = keys ?? [];
}
