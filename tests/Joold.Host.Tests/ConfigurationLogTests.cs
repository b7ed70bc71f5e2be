using System.Collections.Concurrent;
using Joold.Configuration;
using Joold.Host.Configuration;
using Joold.Host.Hosting;
using Microsoft.Extensions.Logging;

namespace Joold.Host.Tests;

/// <summary>The configuration line the daemon logs at start: bounded, and without the secrets a plugin declares.</summary>
public class ConfigurationLogTests
{
    [Fact]
    public async Task The_logged_configuration_is_bounded_and_hides_the_plugins_secret_keys()
    {
        var lines = new ConcurrentQueue<string>();
        var settings = new JooldSettings { LogLevel = LogLevel.Information, ConfigureLogging = logging => logging.AddProvider(new Recorder(lines)) };
        settings.PluginDirectories.Add(TestPaths.TestPlugins);
        string huge = new('z', 10 * 1024 * 1024);
        settings.AddSection("Faulty", ConfigSection.Parse("faulty.json", $$"""{"note": "{{huge}}", "Password": "hunter2"}"""));

        await using var app = JooldApplication.Build(settings);

        string line = Assert.Single(lines, l => l.StartsWith("Config: Faulty from faulty.json: ", StringComparison.Ordinal));
        Assert.True(line.Length < 2200, $"{line.Length} characters");
        Assert.Contains("\"Password\": \"***\"", line, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", line, StringComparison.Ordinal);
        Assert.Contains("(10485760 characters)", line, StringComparison.Ordinal);
    }

    private sealed class Recorder(ConcurrentQueue<string> lines) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception));

        public void Dispose()
        {
        }
    }
}
