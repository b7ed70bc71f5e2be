using System.Reflection;
using System.Runtime.Loader;
using Joold.Host.Plugins;
using Joold.Testing;

namespace Joold.Host.Tests;

/// <summary>A plugin's private dependency that is byte for byte the host's own file is loaded once, from the host.</summary>
public class PluginDependencySharingTests
{
    [Fact]
    public void A_private_copy_identical_to_the_hosts_comes_from_the_host()
    {
        var catalog = PluginCatalog.Discover([TestPaths.DefaultPlugins]);
        catalog.Load(["Unicast"]);
        var context = AssemblyLoadContext.GetLoadContext(catalog.Loaded.Single().EntryPoint.GetType().Assembly)!;

        var libc = context.LoadFromAssemblyName(new AssemblyName("Tmds.LibC"));

        Assert.NotSame(AssemblyLoadContext.Default, context);
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(libc));
    }

    [Fact]
    public void Only_the_very_same_bytes_count_as_the_hosts_copy()
    {
        using var dir = new TempDirectory();
        string hostCopy = typeof(Tmds.Linux.LibC).Assembly.Location;
        string same = Path.Combine(dir.Path, "same.dll");
        string longer = Path.Combine(dir.Path, "longer.dll");
        string changed = Path.Combine(dir.Path, "changed.dll");
        File.Copy(hostCopy, same);
        File.Copy(hostCopy, longer);
        File.AppendAllText(longer, "x");
        byte[] bytes = File.ReadAllBytes(hostCopy);
        bytes[^1] ^= 0xff;
        File.WriteAllBytes(changed, bytes);
        var shared = new HostCopies();

        Assert.True(shared.IsHostCopy("Tmds.LibC", same));
        Assert.False(shared.IsHostCopy("Tmds.LibC", longer));
        Assert.False(shared.IsHostCopy("Tmds.LibC", changed));
        Assert.False(shared.IsHostCopy("NotInTheHost", same));
    }
}
