using System.Diagnostics;
using Joold.Configuration;

namespace Joold.Core.Tests.Configuration;

/// <summary>What <see cref="ConfigSection.Load"/> refuses to read: anything but a regular file of at most 1 MiB.</summary>
public sealed class ConfigFileLimitTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly string _directory = Directory.CreateTempSubdirectory("joold-config-limits-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_fifo_is_refused_without_waiting_for_a_writer()
    {
        string fifo = Path.Combine(_directory, "netsocket.json");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync(TestContext.Current.CancellationToken);
            Assert.Equal(0, mkfifo.ExitCode);
        }

        // Before the fix, opening the FIFO blocked until a writer came: the deadline turns that into a failure.
        var error = await Assert.ThrowsAsync<JooldConfigException>(() => Task.Run(() => ConfigSection.Load(fifo), TestContext.Current.CancellationToken).WaitAsync(Deadline, TestContext.Current.CancellationToken));

        Assert.Equal($"{fifo}: is a named pipe (FIFO), not a regular file; expected a JSON file.", error.Message);
    }

    [Theory]
    [InlineData("/dev/zero", "a character device")]
    [InlineData("/dev/null", "a character device")]
    [InlineData("/tmp", "a directory")]
    public void A_device_or_directory_is_refused(string path, string kind)
    {
        var error = Assert.Throws<JooldConfigException>(() => ConfigSection.Load(path));

        Assert.Equal($"{path}: is {kind}, not a regular file; expected a JSON file.", error.Message);
    }

    [Fact]
    public void A_huge_file_is_refused_by_its_size_before_it_is_read()
    {
        string path = Path.Combine(_directory, "joold.json");
        using (var file = File.Create(path))
        {
            file.SetLength(3L << 30); // sparse: 3 GiB that take no disk space
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<JooldConfigException>(() => ConfigSection.Load(path));

        Assert.Equal($"{path}: the file is 3221225472 bytes; a configuration file may be at most 1048576 bytes (1 MiB).", error.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "the refusal read the file");
    }

    [Fact]
    public void A_file_one_byte_over_the_limit_is_refused_and_one_at_the_limit_is_read()
    {
        string atLimit = Path.Combine(_directory, "at-limit.json");
        File.WriteAllText(atLimit, "{\"ttl\": 3}" + new string(' ', ConfigSection.MaxFileBytes - 10));
        string over = Path.Combine(_directory, "over.json");
        File.WriteAllText(over, "{\"ttl\": 3}" + new string(' ', ConfigSection.MaxFileBytes - 9));

        Assert.Equal(3, ConfigSection.Load(atLimit).GetInt32("ttl", 1, 0, 255));
        var error = Assert.Throws<JooldConfigException>(() => ConfigSection.Load(over));
        Assert.StartsWith($"{over}: the file is 1048577 bytes; a configuration file may be at most ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_symbolic_link_to_a_regular_file_is_read_and_a_byte_order_mark_is_skipped()
    {
        string target = Path.Combine(_directory, "real.json");
        File.WriteAllText(target, "{\"instance\": \"nat64\"}", new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        string link = Path.Combine(_directory, "modsocket.json");
        File.CreateSymbolicLink(link, target);

        Assert.Equal("nat64", ConfigSection.Load(link).GetString("instance", null));
    }
}
