using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Joold.Sessions;
using Joold.Testing;

namespace Joold.Core.Tests.Sessions;

/// <summary>Hostile input must never make validation throw, and what passes must be safe to decode.</summary>
public class ContainerFuzzTests
{
    [Property(MaxTest = 2000)]
    public bool Validate_never_throws_on_random_bytes(byte[] bytes) => Holds(bytes);

    [Property(MaxTest = 2000)]
    public Property Validate_never_throws_on_a_valid_batch_with_random_damage() => Prop.ForAll(
        Arb.From(
            from count in Gen.Choose(1, 36)
            from position in Gen.Choose(0, count * SessionContainer.EntrySize - 1)
            from value in Gen.Choose(0, 255)
            from cut in Gen.Choose(0, 5)
            select (count, position, value, cut)),
        damage =>
        {
            var container = TestSessions.Container(damage.count);
            container[damage.position] = (byte)damage.value;
            return Holds(container.AsSpan(0, container.Length - damage.cut).ToArray());
        });

    /// <summary>The checks that hold for any input: no exception, and a valid result decodes exactly.</summary>
    private static bool Holds(byte[] bytes)
    {
        var validation = SessionContainer.Validate(bytes);
        if (!validation.IsValid)
        {
            return validation.Describe().Length > 0
                && validation.Offset >= 0
                && validation.Offset <= bytes.Length
                && validation.EntryCount == validation.Offset / SessionContainer.EntrySize;
        }

        return bytes.Length == validation.EntryCount * SessionContainer.EntrySize
            && SessionContainer.ReadAll(bytes).Count == validation.EntryCount;
    }
}
