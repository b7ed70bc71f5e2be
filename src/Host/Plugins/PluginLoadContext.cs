using System.Reflection;
using System.Runtime.Loader;

namespace Joold.Host.Plugins;

/// <summary>
/// One plugin's load context. An assembly the host shares (<see cref="SharedAssemblies"/>) comes from the default
/// context, as does a private dependency that is byte for byte the host's own file; any other is the plugin's own,
/// resolved from its folder through its <c>.deps.json</c>, so its private dependencies (any other build) stay private.
/// </summary>
internal sealed class PluginLoadContext : AssemblyLoadContext
{
    private readonly AssemblyDependencyResolver _resolver;
    private readonly SharedAssemblies _shared;

    public PluginLoadContext(string name, string mainAssemblyPath, SharedAssemblies shared)
        : base(name)
    {
        _resolver = new AssemblyDependencyResolver(mainAssemblyPath);
        _shared = shared;
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is null || _shared.Contains(assemblyName.Name))
        {
            return null;
        }

        string? path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null || _shared.IsHostCopy(assemblyName.Name, path) ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        string? path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
