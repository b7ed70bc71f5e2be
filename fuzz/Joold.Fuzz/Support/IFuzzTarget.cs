namespace Joold.Fuzz.Support;

/// <summary>
/// One fuzz target: a parser of bytes from outside, called as the daemon calls it. <see cref="Run"/> returns
/// normally for any input the daemon copes with; an exception that escapes it is a finding (afl-fuzz records a crash).
/// </summary>
internal interface IFuzzTarget
{
    /// <summary>The name fuzz/run.sh takes.</summary>
    string Name { get; }

    /// <summary>One line for the usage text: what is fed where.</summary>
    string Description { get; }

    /// <summary>Feeds one input to the parser and checks what the daemon relies on.</summary>
    void Run(ReadOnlySpan<byte> input);

    /// <summary>Valid inputs to start from (the corpus seeds), by file name.</summary>
    IEnumerable<(string Name, byte[] Bytes)> Seeds();
}
