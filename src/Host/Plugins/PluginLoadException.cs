namespace Joold.Host.Plugins;

/// <summary>A plugin that is missing, cannot be loaded, has no entry point, or failed while configuring or starting.</summary>
public sealed class PluginLoadException : Exception
{
    public PluginLoadException(string name, string path, string reason, Exception? innerException = null)
        : base($"plugin '{name}' ({path}): {reason}", innerException)
    {
        PluginName = name;
        PluginPath = path;
    }

    public PluginLoadException()
    {
        PluginName = PluginPath = "";
    }

    public PluginLoadException(string message)
        : base(message)
    {
        PluginName = PluginPath = "";
    }

    public PluginLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
        PluginName = PluginPath = "";
    }

    public string PluginName { get; }

    public string PluginPath { get; }
}
