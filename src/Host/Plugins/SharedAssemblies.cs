using System.Reflection;
using System.Runtime.Loader;

namespace Joold.Host.Plugins;

/// <summary>
/// The assemblies every plugin takes from the host: those of the shared types and the host (non-framework)
/// assemblies they reference, transitively, so types crossing the boundary are the same types; and every framework
/// assembly (Microsoft.NETCore.App), as one copy of the runtime serves all. Framework assemblies are recognised by
/// name and never opened here: walking their references would load most of the framework (XML, HTTP, QUIC, ...)
/// into a daemon that uses none of it.
/// </summary>
internal sealed class SharedAssemblies
{
    private readonly HashSet<string> _hostClosure = new(StringComparer.Ordinal);
    private readonly HashSet<string> _platform = new(StringComparer.Ordinal);

    public SharedAssemblies(IEnumerable<Type> sharedTypes)
    {
        string trusted = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "";
        foreach (string path in trusted.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            _platform.Add(Path.GetFileNameWithoutExtension(path));
        }

        var pending = new Queue<AssemblyName>(sharedTypes.Select(t => t.Assembly.GetName()));
        while (pending.TryDequeue(out var name))
        {
            if (name.Name is null || IsFramework(name.Name) || !_hostClosure.Add(name.Name))
            {
                continue;
            }

            Assembly assembly;
            try
            {
                assembly = AssemblyLoadContext.Default.LoadFromAssemblyName(name);
            }
            catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
            {
                continue; // the host lacks it: each plugin brings its own
            }

            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                pending.Enqueue(reference);
            }
        }
    }

    /// <summary>Whether the assembly named <paramref name="name"/> must come from the host.</summary>
    public bool Contains(string name) => _hostClosure.Contains(name) || IsFramework(name);

    /// <summary>
    /// A framework assembly: one the runtime provides (on the trusted platform list) with a framework name. The name
    /// test keeps the host's own packages (Tmds.LibC, Microsoft.Extensions.*) out in a self-contained publish, where
    /// they sit on the same list.
    /// </summary>
    private bool IsFramework(string name) =>
        _platform.Contains(name)
        && (name.StartsWith("System.", StringComparison.Ordinal)
            || name.StartsWith("Microsoft.Win32.", StringComparison.Ordinal)
            || name.StartsWith("Microsoft.VisualBasic", StringComparison.Ordinal)
            || name is "System" or "mscorlib" or "netstandard" or "Microsoft.CSharp" or "WindowsBase");
}
