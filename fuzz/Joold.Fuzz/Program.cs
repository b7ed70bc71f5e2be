using Joold.Fuzz.Support;
using Joold.Fuzz.Targets;
using SharpFuzz;

namespace Joold.Fuzz;

/// <summary>
/// <c>Joold.Fuzz TARGET</c> runs a target under afl-fuzz (SharpFuzz's fork server; once on stdin without it);
/// <c>Joold.Fuzz replay TARGET FILE...</c> runs files through it without afl-fuzz and says which ones fail;
/// <c>Joold.Fuzz seeds DIR</c> writes every target's seeds into DIR/TARGET/; <c>Joold.Fuzz random TARGET COUNT
/// CRASHFILE</c> runs COUNT random inputs through the target in process and keeps the first that fails.
/// </summary>
internal static class Program
{
    private const int MaxInput = 1024 * 1024;

    private static readonly IFuzzTarget[] Targets =
    [
        new SessionContainerTarget(),
        new NetlinkReadersTarget(),
        new KernelMessageTarget(),
        new ConfigTarget(),
        new StatsRequestTarget(),
        new TlsFramesTarget(),
        new NatsRepliesTarget(),
    ];

    private static int Main(string[] args)
    {
        switch (args)
        {
            case ["seeds", string directory]:
                return WriteSeeds(directory);
            case ["replay", string name, .. var files] when Find(name) is { } target:
                return Replay(target, files);
            case ["random", string name, string count, string crashFile] when Find(name) is { } target && int.TryParse(count, out int inputs):
                return RandomInputs.Run(target, inputs, crashFile);
            case [string name] when Find(name) is { } target:
                byte[] buffer = new byte[MaxInput];
                Fuzzer.Run(stream => target.Run(buffer.AsSpan(0, ReadAll(stream, buffer))));
                return 0;
            default:
                Console.Error.WriteLine("usage: Joold.Fuzz TARGET | replay TARGET FILE... | seeds DIR | random TARGET COUNT CRASHFILE");
                Console.Error.WriteLine("targets:");
                foreach (var target in Targets)
                {
                    Console.Error.WriteLine($"  {target.Name,-10} {target.Description}");
                }

                return 2;
        }
    }

    private static IFuzzTarget? Find(string name) => Array.Find(Targets, t => t.Name == name);

    private static int ReadAll(Stream stream, byte[] buffer)
    {
        int length = 0;
        int read;
        while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0)
        {
            length += read;
        }

        return length;
    }

    private static int Replay(IFuzzTarget target, string[] files)
    {
        int failed = 0;
        foreach (string file in files)
        {
            try
            {
                target.Run(File.ReadAllBytes(file));
                Console.WriteLine($"ok   {file}");
            }
            catch (Exception e)
            {
                failed++;
                Console.WriteLine($"FAIL {file}: {e}");
            }
        }

        Console.WriteLine($"{target.Name}: {files.Length - failed} passed, {failed} failed");
        return failed == 0 ? 0 : 1;
    }

    private static int WriteSeeds(string directory)
    {
        foreach (var target in Targets)
        {
            string folder = Path.Combine(directory, target.Name);
            Directory.CreateDirectory(folder);
            foreach (var (name, bytes) in target.Seeds())
            {
                // Every seed must pass its own target, or afl-fuzz refuses to start on a crashing seed.
                target.Run(bytes);
                File.WriteAllBytes(Path.Combine(folder, name), bytes);
            }
        }

        return 0;
    }
}
