namespace Joold.Host.Tests;

/// <summary>Where the test plugins, the default plugins and the repository are.</summary>
internal static class TestPaths
{
    public static string TestPlugins => Path.Combine(AppContext.BaseDirectory, "testplugins");

    public static string DefaultPlugins => Path.Combine(AppContext.BaseDirectory, "plugins");

    /// <summary>The checkout these tests were built from (the folder holding Joold.sln).</summary>
    public static string RepositoryRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Joold.sln")))
            {
                dir = dir.Parent;
            }

            // Tests built with --artifacts-path live outside the checkout; fall back to the source tree the build came from.
            return dir?.FullName ?? Path.GetFullPath(Path.Combine(ThisFileDirectory(), "..", ".."));
        }
    }

    private static string ThisFileDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
