namespace Joold.LoadTest.Tests;

public class SyscallCountTests
{
    private const string Summary = """
        strace: Process 4242 attached with 12 threads
        strace: Process 4242 detached
        % time     seconds  usecs/call     calls    errors syscall
        ------ ----------- ----------- --------- --------- ----------------
         60.00    0.006000           3      2000           sendmsg
         30.00    0.003000           1      3000      1000 recvmsg
         10.00    0.001000           1      1000           futex
        ------ ----------- ----------- --------- --------- ----------------
        100.00    0.010000           1      6000      1000 total
        """;

    [Fact]
    public void Parse_reads_the_calls_column_with_and_without_errors()
    {
        var calls = SyscallCount.Parse(Summary);

        Assert.Equal(2000, calls["sendmsg"]);
        Assert.Equal(3000, calls["recvmsg"]);
        Assert.Equal(6000, calls["total"]);
        Assert.Equal(4, calls.Count);
    }

    [Fact]
    public void Describe_gives_calls_per_batch_and_the_top_three() =>
        Assert.Equal("6.0 | recvmsg 3.0, sendmsg 2.0, futex 1.0", SyscallCount.Describe(SyscallCount.Parse(Summary), 1000));

    [Fact]
    public void Nothing_parsed_says_so() =>
        Assert.StartsWith("NaN", SyscallCount.Describe(SyscallCount.Parse("strace: attach: ptrace(PTRACE_SEIZE, 1): Operation not permitted"), 10), StringComparison.Ordinal);
}
