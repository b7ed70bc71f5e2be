using Joold.Testing;

namespace Joold.Host.Tests;

/// <summary>Where the test plugins and a scratch folder are.</summary>
internal static class TestPaths
{
    public static string TestPlugins => Path.Combine(AppContext.BaseDirectory, "testplugins");

    public static string DefaultPlugins => Path.Combine(AppContext.BaseDirectory, "plugins");

    /// <summary>A new empty folder, removed by the caller's using.</summary>
    public static TempDirectory NewTempDirectory() => new();
}
