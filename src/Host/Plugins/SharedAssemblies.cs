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
    private readonly Dictionary<string, string> _platform = new(StringComparer.Ordinal);

    public SharedAssemblies(IEnumerable<Type> sharedTypes)
    {
        string trusted = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "";
        foreach (string path in trusted.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            _platform.TryAdd(Path.GetFileNameWithoutExtension(path), path);
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
    /// Whether a plugin's private copy at <paramref name="path"/> is the very file the host has under that name (the
    /// same package, Tmds.LibC say): then the host's is used, since the same bytes loaded again in each plugin only
    /// cost a mapping and a second JIT compilation of everything called in it. A different build stays private.
    /// </summary>
    public bool IsHostCopy(string name, string path)
    {
        if (!_platform.TryGetValue(name, out string? hostPath))
        {
            return false;
        }

        var plugin = new FileInfo(path);
        var host = new FileInfo(hostPath);
        return plugin.Exists && host.Exists && plugin.Length == host.Length && SameBytes(path, hostPath);
    }

    /// <summary>Compares two files of the same length in small chunks: whole-file arrays would land on the large object heap and stay committed.</summary>
    private static bool SameBytes(string first, string second)
    {
        using var a = new FileStream(first, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        using var b = new FileStream(second, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        Span<byte> chunkA = stackalloc byte[4096];
        Span<byte> chunkB = stackalloc byte[4096];
        int read;
        while ((read = a.ReadAtLeast(chunkA, chunkA.Length, throwOnEndOfStream: false)) > 0)
        {
            if (b.ReadAtLeast(chunkB[..read], read, throwOnEndOfStream: false) != read || !chunkA[..read].SequenceEqual(chunkB[..read]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A framework assembly: one the runtime provides (on the trusted platform list) with a framework name. The name
    /// test keeps the host's own packages (Tmds.LibC, Microsoft.Extensions.*) out in a self-contained publish, where
    /// they sit on the same list.
    /// </summary>
    private bool IsFramework(string name) =>
        _platform.ContainsKey(name)
        && (name.StartsWith("System.", StringComparison.Ordinal)
            || name.StartsWith("Microsoft.Win32.", StringComparison.Ordinal)
            || name.StartsWith("Microsoft.VisualBasic", StringComparison.Ordinal)
            || name is "System" or "mscorlib" or "netstandard" or "Microsoft.CSharp" or "WindowsBase");
}
