using System.Runtime.InteropServices;

namespace Joold.Testing;

/// <summary>
/// The dotnet host as a full path: `ip netns exec` execs a program without searching PATH the way a shell does,
/// and child processes should run on the same runtime as the tests.
/// </summary>
public static class DotnetHost
{
    /// <summary>
    /// DOTNET_HOST_PATH when set (under <c>dotnet test</c>), else this process when it is dotnet, else the host this
    /// runtime came from, else plain "dotnet".
    /// </summary>
    public static string Path
    {
        get
        {
            string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(host) && File.Exists(host))
            {
                return host;
            }

            string? self = Environment.ProcessPath;
            if (self is not null && System.IO.Path.GetFileNameWithoutExtension(self) == "dotnet")
            {
                return self;
            }

            string candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", "dotnet"));
            return File.Exists(candidate) ? candidate : "dotnet";
        }
    }
}
