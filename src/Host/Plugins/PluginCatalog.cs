using System.Reflection;
using Joold.Plugins;
using McMaster.NETCore.Plugins.Loader;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Joold.Host.Plugins;

/// <summary>
/// Finds plugins laid out as <c>DIR/&lt;Name&gt;/&lt;Name&gt;.dll</c> and loads each into its own load context.
/// Only Core's contracts and the Microsoft.Extensions abstractions they expose are shared with the host, so a
/// plugin's private dependencies (any version) stay private.
/// </summary>
internal sealed class PluginCatalog
{
    /// <summary>One type per assembly the host and every plugin must agree on.</summary>
    public static readonly Type[] SharedTypes =
    [
        typeof(IJooldPlugin),
        typeof(IServiceCollection),
        typeof(ILogger),
        typeof(IOptions<>),
        typeof(Microsoft.Extensions.Primitives.StringValues),
        typeof(System.Diagnostics.Metrics.Meter), // a plugin's MeterListener must see Core's JooldMeter
    ];

    private readonly Dictionary<string, string> _found = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _folderOf = new(StringComparer.Ordinal);
    private readonly Dictionary<Assembly, PluginInfo> _byAssembly = [];
    private readonly List<PluginInfo> _loaded = [];
    private readonly PluginFileCheck? _check;
    private HostCopies? _hostCopies;

    private PluginCatalog(PluginFileCheck? check)
    {
        _check = check;
    }

    /// <summary>The folder of the built-in plugins: <c>plugins/</c> next to the host.</summary>
    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "plugins");

    /// <summary>Plugins found so far, by name, with their assembly path (which may not exist: nothing is opened yet).</summary>
    public IReadOnlyDictionary<string, string> Found => _found;

    public IReadOnlyList<PluginInfo> Loaded => _loaded;

    /// <summary>
    /// Scans the folders in order; a plugin in a later folder replaces one of the same name. Only names are read:
    /// a plugin is opened, and its files checked with <paramref name="check"/> (null: not checked), when loaded.
    /// </summary>
    public static PluginCatalog Discover(IEnumerable<string> directories, PluginFileCheck? check = null)
    {
        var catalog = new PluginCatalog(check);
        foreach (string directory in directories)
        {
            if (!System.IO.Directory.Exists(directory))
            {
                throw new PluginLoadException($"plugin folder '{directory}' does not exist");
            }

            foreach (string pluginDirectory in System.IO.Directory.GetDirectories(directory).Order(StringComparer.Ordinal))
            {
                string name = Path.GetFileName(pluginDirectory);
                catalog._found[name] = Path.GetFullPath(Path.Combine(pluginDirectory, name + ".dll"));
                catalog._folderOf[name] = Path.GetFullPath(directory);
            }
        }

        return catalog;
    }

    /// <summary>
    /// Loads the named plugins, in order, and no other: a plugin nobody uses is never opened, so a broken one cannot
    /// stop the daemon. The first failure stops with an error naming the plugin.
    /// </summary>
    public void Load(IEnumerable<string> names)
    {
        foreach (string name in names)
        {
            if (!_found.TryGetValue(name, out string? path))
            {
                string expected = Path.Combine(DefaultDirectory, name, name + ".dll");
                throw new PluginLoadException(name, expected, "not installed (add its folder, or point --plugins at the folder that holds it)");
            }

            if (!File.Exists(path))
            {
                throw new PluginLoadException(name, path, $"the folder has no {name}.dll (a plugin lives in <folder>/<Name>/<Name>.dll)");
            }

            string? unsafePath = _check?.FindUnsafe(_folderOf[name], Path.GetDirectoryName(path)!);
            if (unsafePath is not null)
            {
                throw new PluginLoadException(name, path, $"refused, since it runs as root: {unsafePath}; fix the owner and mode (chown root, chmod go-w), or start with --allow-unsafe-plugins (development only)");
            }

            _hostCopies ??= new HostCopies();
            var plugin = Load(name, path, _hostCopies);
            _loaded.Add(plugin);
            _byAssembly[plugin.EntryPoint.GetType().Assembly] = plugin;
        }
    }

    /// <summary>The plugin a component belongs to, by the assembly its type comes from.</summary>
    public PluginInfo? Owner(object component) => _byAssembly.GetValueOrDefault(component.GetType().Assembly);

    private static PluginInfo Load(string name, string path, HostCopies hostCopies)
    {
        Assembly assembly;
        try
        {
            // McMaster's load context, built directly: its PluginLoader also reads the host's runtimeconfig.json for
            // probing paths (which plugins laid out by Joold never use) and loads System.Diagnostics.Process for it.
            // The shared assemblies' references are taken from the host when a plugin first asks for them (lazy):
            // the eager walk opened their whole reference closure, and with it most of the framework (XML, HTTP,
            // QUIC, cryptography, ...), in a daemon that uses none of it (20 MB more RSS).
            var builder = new AssemblyLoadContextBuilder().SetMainAssemblyPath(path).IsLazyLoaded(true);
            foreach (var shared in SharedTypes.Select(t => t.Assembly).Distinct())
            {
                builder.PreferDefaultLoadContextAssembly(shared.GetName());
            }

            foreach (var copy in hostCopies.In(Path.GetDirectoryName(path)!, path))
            {
                builder.PreferDefaultLoadContextAssembly(copy);
            }

            assembly = builder.Build().LoadFromAssemblyPath(path);
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException or IOException or InvalidOperationException)
        {
            throw new PluginLoadException(name, path, $"cannot be loaded: {e.Message}", e);
        }

        Type[] types;
        try
        {
            types = assembly.GetExportedTypes();
        }
        catch (Exception e) when (e is ReflectionTypeLoadException or FileNotFoundException or FileLoadException or TypeLoadException)
        {
            throw new PluginLoadException(name, path, $"cannot be loaded: {e.Message}", e);
        }

        var entryTypes = types.Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IJooldPlugin).IsAssignableFrom(t)).ToArray();
        if (entryTypes.Length == 0)
        {
            bool foreignContract = types.Any(t => t.GetInterfaces().Any(i => i.FullName == typeof(IJooldPlugin).FullName));
            string reason = foreignContract
                ? "its entry point implements a different copy of Joold.Core's IJooldPlugin (remove Joold.Core.dll from the plugin folder)"
                : $"has no entry point (a public class implementing {typeof(IJooldPlugin).FullName})";
            throw new PluginLoadException(name, path, reason);
        }

        if (entryTypes.Length > 1)
        {
            throw new PluginLoadException(name, path, $"has {entryTypes.Length} entry points ({string.Join(", ", entryTypes.Select(t => t.FullName))}); a plugin has exactly one");
        }

        try
        {
            return new PluginInfo(name, path, (IJooldPlugin)Activator.CreateInstance(entryTypes[0])!);
        }
        catch (Exception e) when (e is MissingMethodException or TargetInvocationException or MemberAccessException)
        {
            throw new PluginLoadException(name, path, $"its entry point {entryTypes[0].FullName} cannot be created: {(e.InnerException ?? e).Message}", e);
        }
    }
}
