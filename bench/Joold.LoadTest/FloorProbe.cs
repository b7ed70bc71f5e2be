using System.Globalization;
using Joold.Testing;

namespace Joold.LoadTest;

/// <summary>
/// The memory floor of any .NET process here: this tool started with <c>--idle</c>, which prints one line and
/// waits on stdin before touching anything else (the runtime, the app assembly and System.Console: what an empty
/// console app loads). Its VmHWM and RssAnon are what no daemon on .NET can go below.
/// </summary>
internal static class FloorProbe
{
    public const string Argument = "--idle";

    public const string IdleLine = "idle";

    public static async Task<MemorySample> MeasureAsync()
    {
        string tool = Path.Combine(AppContext.BaseDirectory, "Joold.LoadTest.dll");
        await using var idle = DaemonProcess.Start(DotnetHost.Path, [tool, Argument]);
        await idle.WaitForOutputAsync(IdleLine, RigSupport.StartTimeout).ConfigureAwait(false);
        return MemorySample.Read(idle.Id);
    }

    public static string Describe(MemorySample floor) => string.Create(
        CultureInfo.InvariantCulture,
        $"Floor: an idle .NET console process (dotnet Joold.LoadTest.dll {Argument}) has VmHWM {floor.PeakResidentMib:F1} MiB, RssAnon {floor.PrivateResidentMib:F1} MiB.");
}
