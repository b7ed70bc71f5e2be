using Joold.FakeKernel;
using Joold.Plugins.JoolNetlink;
using Joold.Stats;
using Joold.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Joold.JoolNetlink.Tests;

/// <summary>
/// The plugin started against an in-process fake kernel over real netlink, with a recording writer. The fake kernel
/// runs on <see cref="Time"/>, which only moves when a test says so; the channel runs on the system clock unless a
/// test hands it one (<c>channelTime</c>).
/// </summary>
public sealed class PluginHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _run = new();

    private PluginHarness(FakeJoolKernel fake, JoolNetlinkChannel channel, string instance, FakeTimeProvider time)
    {
        Fake = fake;
        Channel = channel;
        Instance = instance;
        Time = time;
    }

    public FakeJoolKernel Fake { get; }

    public JoolNetlinkChannel Channel { get; }

    public string Instance { get; }

    public FakeTimeProvider Time { get; }

    public JooldCounters Counters { get; private init; } = new();

    public RecordingLogger<JoolNetlinkChannel> Logger { get; private init; } = new();

    public RecordingWriter Writer { get; } = new();

    public Task RunTask { get; private set; } = Task.CompletedTask;

    /// <summary>JOOLD_ACKs the fake has received.</summary>
    public int AcksReceived => Fake.ReceivedCommand(FakeJoolKernel.CmdJooldAck).Count;

    public static async Task<PluginHarness> StartAsync(
        string? instance = null,
        string? pluginInstance = null,
        FakeInstanceSettings? settings = null,
        int receiveBuffer = JoolNetlinkOptions.DefaultReceiveBuffer,
        bool run = true,
        IEnumerable<string>? otherInstances = null,
        Action<FakeJoolKernel>? beforeStart = null,
        TimeProvider? channelTime = null,
        Func<FakeJoolKernel, Task>? whileStarting = null)
    {
        instance ??= TestSessions.UniqueInstance();
        var time = new FakeTimeProvider();
        var instances = new Dictionary<string, FakeInstanceSettings> { [instance] = settings ?? new FakeInstanceSettings() };
        foreach (string other in otherInstances ?? [])
        {
            instances[other] = settings ?? new FakeInstanceSettings();
        }

        var fake = await FakeJoolKernel.StartAsync(new FakeKernelOptions { Instances = instances, Time = time }, TestContext.Current.CancellationToken);
        beforeStart?.Invoke(fake);
        var logger = new RecordingLogger<JoolNetlinkChannel>();
        var counters = new JooldCounters();
        var options = new JoolNetlinkOptions { Instance = pluginInstance ?? instance, NetlinkPeer = fake.PortId, ReceiveBuffer = receiveBuffer };
        var channel = new JoolNetlinkChannel(options, counters, logger, channelTime);
        var harness = new PluginHarness(fake, channel, instance, time) { Logger = logger, Counters = counters };
        harness.Writer.Probe = () => channel.AcksSent;
        try
        {
            var starting = channel.StartAsync(TestContext.Current.CancellationToken).AsTask();
            if (whileStarting is not null)
            {
                await whileStarting(fake);
            }

            await starting.WithTimeout("the channel to start");
        }
        catch
        {
            await harness.DisposeAsync();
            throw;
        }

        if (run)
        {
            harness.Run();
        }

        return harness;
    }

    public void Run() => RunTask = Channel.RunAsync(Writer, _run.Token);

    /// <summary>
    /// Multicasts a fresh valid batch and waits until the writer has it and it was ACKed: everything sent before it
    /// has then been handled, since the plugin handles messages in order.
    /// </summary>
    public async Task SentinelAsync(int tag = 99)
    {
        byte[] container = TestSessions.Container(1, tag);
        Fake.MulticastSessions(Instance, container);

        // Every earlier message was handled (and ACKed if due) before the sentinel reached the writer; one more
        // ACK is the sentinel's own.
        await Eventually.WaitAsync(() => Writer.ProbeAt(container) is long before && Channel.AcksSent > before, "the sentinel batch to be forwarded and ACKed");
    }

    public async ValueTask DisposeAsync()
    {
        await _run.CancelAsync();
        try
        {
            await RunTask;
        }
        catch (OperationCanceledException)
        {
        }

        await Channel.DisposeAsync();
        await Fake.DisposeAsync();
        _run.Dispose();
    }
}
