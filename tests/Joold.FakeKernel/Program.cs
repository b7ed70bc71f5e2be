using System.Globalization;
using System.Text.Json;
using Joold.FakeKernel;
using Joold.Sessions;

// The fake kernel as a process, driven by lines on stdin (see README.md). Ends on "quit" or when stdin closes.
var instances = new List<string>();
var settings = new FakeInstanceSettings();
var options = new FakeKernelOptions();
for (int i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
    switch (args[i])
    {
        case "--port-id": options = options with { PortId = uint.Parse(Value(), CultureInfo.InvariantCulture) }; break;
        case "--family-id": options = options with { FamilyId = ushort.Parse(Value(), CultureInfo.InvariantCulture) }; break;
        case "--group-id": options = options with { GroupId = uint.Parse(Value(), CultureInfo.InvariantCulture) }; break;
        case "--instance": instances.Add(Value()); break;
        case "--capacity": settings = settings with { Capacity = int.Parse(Value(), CultureInfo.InvariantCulture) }; break;
        case "--max-sessions-per-packet": settings = settings with { MaxSessionsPerPacket = int.Parse(Value(), CultureInfo.InvariantCulture) }; break;
        case "--flush-deadline-ms": settings = settings with { FlushDeadline = TimeSpan.FromMilliseconds(int.Parse(Value(), CultureInfo.InvariantCulture)) }; break;
        case "--ss-disabled": settings = settings with { Enabled = false }; break;
        default:
            Console.Error.WriteLine($"Unknown option {args[i]}. Options: --port-id N --instance NAME (repeatable) --family-id N --group-id N --capacity N --max-sessions-per-packet N --flush-deadline-ms N --ss-disabled");
            return 2;
    }
}

if (instances.Count == 0)
{
    instances.Add("default");
}

options = options with { Instances = instances.Distinct().ToDictionary(n => n, _ => settings) };
FakeJoolKernel kernel;
try
{
    kernel = await FakeJoolKernel.StartAsync(options);
}
catch (Exception e)
{
    Console.WriteLine($"error {e.Message}");
    return 1;
}

await using (kernel)
{
    string target = instances[0];
    Console.WriteLine($"ready port={kernel.PortId} family={kernel.FamilyId} group={kernel.GroupId}");
    while (await Console.In.ReadLineAsync() is { } line)
    {
        string[] words = line.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            continue;
        }

        string argument = words.Length > 1 ? words[1].Trim() : "";
        try
        {
            switch (words[0])
            {
                case "quit":
                    Console.WriteLine("ok");
                    return 0;
                case "instance":
                    if (argument.Length > 0)
                    {
                        target = argument;
                    }

                    Console.WriteLine($"instance {target}");
                    break;
                case "add-instance":
                    kernel.AddInstance(argument, settings);
                    break;
                case "inject":
                    kernel.Inject(target, SessionContainer.ReadAll(Convert.FromHexString(argument)));
                    break;
                case "inject-random":
                    string[] parts = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length is < 1 or > 2)
                    {
                        throw new ArgumentException("usage: inject-random <count> [seed]");
                    }

                    var injected = kernel.InjectRandom(target, int.Parse(parts[0], CultureInfo.InvariantCulture), parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : null);
                    Console.WriteLine($"container {Convert.ToHexString(SessionContainer.Create(injected))}");
                    break;
                case "db":
                    foreach (var session in kernel.GetDatabase(target))
                    {
                        Console.WriteLine($"session {SessionJson.Write(session)}");
                    }

                    break;
                case "stats":
                    Console.WriteLine($"stats {JsonSerializer.Serialize(kernel.GetStats(target))}");
                    break;
                case "queue":
                    Console.WriteLine($"queue {kernel.QueueCount(target)}");
                    break;
                case "received":
                    foreach (var message in kernel.Received)
                    {
                        Console.WriteLine($"received {message.SenderPortId} {Convert.ToHexString(message.Bytes)}");
                    }

                    break;
                case "clear-received":
                    kernel.ClearReceived();
                    break;
                case "ack-mode":
                    kernel.AckMode = Enum.Parse<AckMode>(argument, ignoreCase: true);
                    break;
                case "ss-enabled":
                    bool enabled = bool.Parse(argument);
                    kernel.Configure(target, s => s with { Enabled = enabled });
                    break;
                case "force-error":
                    if (argument == "off")
                    {
                        kernel.ForcedError = null;
                    }
                    else
                    {
                        string[] error = argument.Split(' ', 2);
                        kernel.ForcedError = (int.Parse(error[0], CultureInfo.InvariantCulture), error.Length > 1 ? error[1] : "Forced error.");
                    }

                    break;
                case "multicast":
                    kernel.MulticastSessions(target, Convert.FromHexString(argument));
                    break;
                case "raw":
                    kernel.MulticastRaw(Convert.FromHexString(argument));
                    break;
                case "record":
                    kernel.Recording = argument switch
                    {
                        "on" => true,
                        "off" => false,
                        _ => throw new ArgumentException("record takes on or off"),
                    };
                    break;
                case "load":
                    var (loadBatches, loadSize) = BatchArguments(argument, "load");
                    kernel.StartLoad(target, loadBatches, loadSize);
                    break;
                case "rate":
                    string[] rate = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (rate.Length != 3)
                    {
                        throw new ArgumentException("usage: rate <batches> <sessions-per-batch> <batches-per-second>");
                    }

                    kernel.StartScheduledLoad(target, long.Parse(rate[0], CultureInfo.InvariantCulture), int.Parse(rate[1], CultureInfo.InvariantCulture), int.Parse(rate[2], CultureInfo.InvariantCulture));
                    break;
                case "stamps":
                    if (argument == "off")
                    {
                        foreach (string stamp in kernel.StopStamps())
                        {
                            Console.WriteLine(stamp);
                        }
                    }
                    else
                    {
                        kernel.StartStamps(int.Parse(argument, NumberStyles.None, CultureInfo.InvariantCulture));
                    }

                    break;
                case "load-remaining":
                    Console.WriteLine($"load-remaining {kernel.LoadRemaining(target)}");
                    break;
                case "burst":
                    var (burstBatches, burstSize) = BatchArguments(argument, "burst");
                    int failed = kernel.Burst(target, burstBatches, burstSize);
                    Console.WriteLine($"burst sent={burstBatches - failed} failed={failed}");
                    break;
                case "tick":
                    kernel.Tick();
                    break;
                default:
                    throw new ArgumentException($"unknown command '{words[0]}'");
            }

            Console.WriteLine("ok");
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidDataException or OverflowException)
        {
            Console.WriteLine($"error {e.Message.ReplaceLineEndings(" ")}");
        }
    }
}

return 0;

static (int Batches, int SessionsPerBatch) BatchArguments(string argument, string command)
{
    string[] words = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    if (words.Length is < 1 or > 2)
    {
        throw new ArgumentException($"usage: {command} <batches> [sessions-per-batch]");
    }

    return (int.Parse(words[0], CultureInfo.InvariantCulture), words.Length > 1 ? int.Parse(words[1], CultureInfo.InvariantCulture) : JoolDefinitions.DEFAULT_JOOLD_MAX_SESSIONS_PER_PKT);
}
