namespace Joold.Host.Tests;

/// <summary>Where the test plugins and a scratch folder are.</summary>
internal static class TestPaths
{
    public static string TestPlugins => Path.Combine(AppContext.BaseDirectory, "testplugins");

    public static string DefaultPlugins => Path.Combine(AppContext.BaseDirectory, "plugins");

    /// <summary>A new empty folder, removed by the caller's using.</summary>
    public static TempDirectory NewTempDirectory() => new();
}

internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("joold-test-").FullName;
    }

    public string Path { get; }

    public string File(string name, string content)
    {
        string path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
