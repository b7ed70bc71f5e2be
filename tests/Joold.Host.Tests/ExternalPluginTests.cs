using Joold.Configuration;
using Joold.Host.Configuration;
using Joold.Host.Hosting;
using Joold.Stats;
using Joold.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Joold.Host.Tests;

/// <summary>A plugin written and built outside this solution, against nothing but the published Joold.Core.</summary>
public class ExternalPluginTests
{
    private const string Project = """
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <EnableDynamicLoading>true</EnableDynamicLoading>
            <Nullable>enable</Nullable>
            <ImplicitUsings>enable</ImplicitUsings>
          </PropertyGroup>
          <ItemGroup>
            <Reference Include="Joold.Core" HintPath="BIN/Joold.Core.dll" Private="false" />
            <Reference Include="Microsoft.Extensions.DependencyInjection.Abstractions" HintPath="BIN/Microsoft.Extensions.DependencyInjection.Abstractions.dll" Private="false" />
          </ItemGroup>
        </Project>
        """;

    private const string Source = """
        using Joold.Plugins;
        using Joold.Stats;
        using Microsoft.Extensions.DependencyInjection;

        namespace Outsider;

        public sealed class OutsiderPlugin : IJooldPlugin
        {
            public void ConfigureServices(IServiceCollection services, PluginContext context)
            {
                if (context.Section is not null)
                {
                    string greeting = context.Section.GetString("greeting", "hello")!;
                    services.AddSingleton<IStatsExporter>(sp => new Exporter(greeting, sp.GetRequiredService<IJooldStatistics>()));
                }
            }

            private sealed class Exporter(string greeting, IJooldStatistics stats) : IStatsExporter
            {
                public string Name => $"outsider says {greeting}, {stats.GetSnapshot().KernelSentPackets} sent";
                public ValueTask StartAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
                public ValueTask DisposeAsync() => ValueTask.CompletedTask;
            }
        }
        """;

    [Fact]
    public async Task A_plugin_built_against_the_published_Core_alone_loads_and_gets_its_configuration()
    {
        using var dir = TestPaths.NewTempDirectory();
        dir.File("src/Outsider.csproj", Project.Replace("BIN", AppContext.BaseDirectory.TrimEnd('/'), StringComparison.Ordinal));
        dir.File("src/OutsiderPlugin.cs", Source);
        string output = Path.Combine(dir.Path, "plugins", "Outsider");

        await using (var build = DaemonProcess.Start("dotnet", ["build", Path.Combine(dir.Path, "src"), "-c", "Release", "-o", output, "-nologo"], dir.Path))
        {
            await build.WaitForExitAsync(TimeSpan.FromMinutes(3));
            Assert.True(build.ExitCode == 0, $"dotnet build failed: {build.StandardOutput} {build.StandardError}");
        }

        Assert.False(File.Exists(Path.Combine(output, "Joold.Core.dll")), "the plugin must not carry its own Joold.Core");
        var settings = new JooldSettings { LogLevel = Microsoft.Extensions.Logging.LogLevel.None };
        settings.PluginDirectories.Add(Path.Combine(dir.Path, "plugins"));
        settings.AddSection("Outsider", ConfigSection.Parse("outsider.json", """{"Greeting": "bonjour"}"""));

        await using var app = JooldApplication.Build(settings);

        var exporter = Assert.Single(app.Services.GetServices<IStatsExporter>());
        Assert.Equal("outsider says bonjour, 0 sent", exporter.Name);
    }
}
