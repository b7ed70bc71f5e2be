namespace Joold.LoadTest.Tests;

public class MemorySampleTests
{
    [Fact]
    public void Parse_reads_VmHWM_and_RssAnon_in_KiB()
    {
        string[] status = ["Name:\tjoold", "VmPeak:\t  999999 kB", "VmHWM:\t   74512 kB", "VmRSS:\t   70000 kB", "RssAnon:\t   17920 kB", "RssFile:\t   52080 kB"];

        var sample = MemorySample.Parse(status);

        Assert.Equal(74512, sample.PeakResidentKib);
        Assert.Equal(17920, sample.PrivateResidentKib);
        Assert.Equal(17.5, sample.PrivateResidentMib);
    }

    [Fact]
    public void A_missing_field_is_zero() => Assert.Equal(new MemorySample(0, 0), MemorySample.Parse(["Name:\tkthreadd"]));

    [Fact]
    public void The_current_process_has_both()
    {
        var sample = MemorySample.Read(Environment.ProcessId);

        Assert.True(sample.PeakResidentKib >= sample.PrivateResidentKib);
        Assert.True(sample.PrivateResidentKib > 0);
    }
}
