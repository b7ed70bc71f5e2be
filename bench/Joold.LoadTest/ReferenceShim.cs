using Joold.Testing;
using Joold.Testing.Namespaces;

namespace Joold.LoadTest;

/// <summary>
/// The LD_PRELOAD library that points C joold at a fake kernel (Reference/netlink-peer-shim.c, our own code): built
/// with gcc at run time into a folder of its own, removed on dispose.
/// </summary>
internal sealed class ReferenceShim : IDisposable
{
    private readonly TempDirectory _directory = new("joold-load-shim-");

    private ReferenceShim()
    {
        LibraryPath = Path.Combine(_directory.Path, "netlink-peer-shim.so");
    }

    public static string SourcePath => Path.Combine(AppContext.BaseDirectory, "Reference", "netlink-peer-shim.c");

    public string LibraryPath { get; }

    public static async Task<ReferenceShim> BuildAsync()
    {
        var shim = new ReferenceShim();
        try
        {
            (await Command.RunAsync("gcc", ["-shared", "-fPIC", "-O2", "-Wall", "-Wextra", "-Werror", "-o", shim.LibraryPath, SourcePath, "-ldl"])).EnsureSuccess();
            return shim;
        }
        catch
        {
            shim.Dispose();
            throw;
        }
    }

    public void Dispose() => _directory.Dispose();
}
