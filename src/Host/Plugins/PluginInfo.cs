using Joold.Plugins;

namespace Joold.Host.Plugins;

/// <summary>A loaded plugin: its name, its assembly file and its entry point.</summary>
internal sealed record PluginInfo(string Name, string AssemblyPath, IJooldPlugin EntryPoint)
{
    public string Directory => Path.GetDirectoryName(AssemblyPath)!;

    public override string ToString() => $"plugin '{Name}' ({AssemblyPath})";
}
