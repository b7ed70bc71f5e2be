using System.Runtime.InteropServices;

namespace Joold.EndToEnd.Tests.Support;

/// <summary>Where the dotnet host is, for processes started through `ip netns exec`, which needs a path.</summary>
internal static class DotnetHost
{
    /// <summary>DOTNET_HOST_PATH when set (under dotnet test), else the host this runtime came from, else "dotnet".</summary>
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
