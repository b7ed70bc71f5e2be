namespace Joold.Fuzz.Support;

/// <summary>Fails the run when something the daemon relies on does not hold; afl-fuzz records it as a crash.</summary>
internal static class FuzzCheck
{
    public static void That(bool condition, string what)
    {
        if (!condition)
        {
            throw new FuzzCheckException(what);
        }
    }
}

/// <summary>A broken invariant (not an exception of the code under test).</summary>
internal sealed class FuzzCheckException(string message) : Exception(message);
