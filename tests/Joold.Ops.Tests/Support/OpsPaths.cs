using System.Runtime.CompilerServices;

namespace Joold.Ops.Tests.Support;

/// <summary>Where things are: the checkout, the test plugins, and free TCP ports on loopback.</summary>
internal static class OpsPaths
{
    /// <summary>The checkout the tests were built from.</summary>
    public static string RepositoryRoot => Path.GetFullPath(Path.Combine(ThisFileDirectory(), "..", "..", ".."));

    /// <summary>The test plugins laid out next to the tests (the blocking sink).</summary>
    public static string TestPlugins => Path.Combine(AppContext.BaseDirectory, "testplugins");

    private static string ThisFileDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
