namespace Joold.Fuzz.Support;

/// <summary>
/// Runs a target in process, without afl-fuzz, on random inputs: mutated seeds and plain random bytes, from a fixed
/// seed so a run can be repeated. For when afl-fuzz will not start: a broken target must still fail the smoke.
/// </summary>
internal static class RandomInputs
{
    private const int MaxRandomLength = 4096;

    /// <summary>Returns 0 if every input passed; else writes the first failing input to <paramref name="crashFile"/> and returns 1.</summary>
    public static int Run(IFuzzTarget target, int count, string crashFile, int seed = 1)
    {
        var random = new Random(seed);
        byte[][] seeds = target.Seeds().Select(s => s.Bytes).ToArray();
        for (int i = 0; i < count; i++)
        {
            byte[] input = i % 2 == 0 && seeds.Length > 0 ? Mutate(seeds[random.Next(seeds.Length)], random) : Bytes(random, random.Next(MaxRandomLength));
            try
            {
                target.Run(input);
            }
            catch (Exception e)
            {
                File.WriteAllBytes(crashFile, input);
                Console.WriteLine($"FAIL random input {i} of {count} ({input.Length} bytes, saved as {crashFile}): {e}");
                return 1;
            }
        }

        Console.WriteLine($"{target.Name}: {count} random inputs passed");
        return 0;
    }

    private static byte[] Bytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>What afl-fuzz's havoc stage does first: flip, overwrite, cut and grow, a few times over.</summary>
    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = new List<byte>(seed);
        for (int round = random.Next(1, 9); round > 0; round--)
        {
            int at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 2 when bytes.Count > 0:
                    bytes.RemoveRange(at, random.Next(1, bytes.Count - at + 1));
                    break;
                case 3:
                    bytes.InsertRange(at, Bytes(random, random.Next(1, 17)));
                    break;
                default:
                    if (bytes.Count > 0)
                    {
                        bytes[at] = random.Next(4) switch { 0 => 0, 1 => 0xFF, 2 => 0x7F, _ => 0x80 };
                    }

                    break;
            }
        }

        return [.. bytes];
    }
}
