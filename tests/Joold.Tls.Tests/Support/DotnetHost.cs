using System.Runtime.InteropServices;

namespace Joold.Tls.Tests.Support;

/// <summary>Where the dotnet host is, for processes started through `ip netns exec`, which needs a path.</summary>
internal static class DotnetHost
{
    public static string Path
    {
        get
        {
            string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(host) && File.Exists(host))
            {
                return host;
            }

            string candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", "dotnet"));
            return File.Exists(candidate) ? candidate : "dotnet";
        }
    }
}
