using System.Reflection;

namespace Joold.Host.Plugins;

/// <summary>
/// Finds a plugin's private dependencies that are byte for byte the host's own file under the same name (the same
/// package, Tmds.LibC say): those are shared with the host, since the same bytes loaded again in each plugin only
/// cost a mapping and a second JIT compilation of everything called in them. A different build stays private.
/// </summary>
internal sealed class HostCopies
{
    private readonly Dictionary<string, string> _host = new(StringComparer.Ordinal);

    public HostCopies()
    {
        // The host's assemblies: the runtime's trusted list (the framework and the host's own dependencies).
        string trusted = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "";
        foreach (string path in trusted.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            _host.TryAdd(Path.GetFileNameWithoutExtension(path), path);
        }
    }

    /// <summary>The assemblies in <paramref name="pluginDirectory"/>, other than <paramref name="mainAssemblyPath"/>, that are the host's very files.</summary>
    public IEnumerable<AssemblyName> In(string pluginDirectory, string mainAssemblyPath)
    {
        string main = Path.GetFullPath(mainAssemblyPath);
        foreach (string path in Directory.EnumerateFiles(pluginDirectory, "*.dll"))
        {
            string name = Path.GetFileNameWithoutExtension(path);
            if (!string.Equals(Path.GetFullPath(path), main, StringComparison.Ordinal) && IsHostCopy(name, path))
            {
                yield return new AssemblyName(name);
            }
        }
    }

    /// <summary>Whether the file at <paramref name="path"/> is the very file the host has under <paramref name="name"/>.</summary>
    public bool IsHostCopy(string name, string path)
    {
        if (!_host.TryGetValue(name, out string? hostPath))
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
}
