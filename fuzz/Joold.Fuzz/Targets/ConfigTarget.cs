using System.Globalization;
using System.Text;
using Joold.Configuration;
using Joold.Fuzz.Support;
using Joold.Plugins;
using Joold.Plugins.JoolNetlink;
using Joold.Plugins.Multicast;
using Joold.Plugins.Nats;
using Joold.Plugins.Prometheus;
using Joold.Plugins.StatsUdp;
using Joold.Plugins.Tls;
using Joold.Plugins.Unicast;
using Microsoft.Extensions.DependencyInjection;

namespace Joold.Fuzz.Targets;

/// <summary>
/// A configuration file: decoded as <c>File.ReadAllText</c> decodes it, parsed by <see cref="ConfigSection"/>, then read
/// as a netsocket or modsocket file (the whole object is the plugin's section) and as a <c>joold run</c> file (each
/// property a plugin's section, as the host splits it), each section through every plugin's own reader. A bad file
/// must end as one <see cref="JooldConfigException"/>, the error the daemon prints in one line; any other exception
/// is a finding.
/// </summary>
internal sealed class ConfigTarget : IFuzzTarget
{
    private const string Source = "/etc/joold/fuzz.json";

    /// <summary>Every plugin's entry point, as the host calls it; Tls by its settings reader, since its entry point also reads the certificate files the section names.</summary>
    private static readonly (string Name, Action<ConfigSection> Read)[] Readers =
    [
        ("JoolNetlink", section => Configure(new JoolNetlinkPlugin(), "JoolNetlink", section)),
        ("Multicast", section => Configure(new MulticastPlugin(), "Multicast", section)),
        ("Unicast", section => Configure(new UnicastPlugin(), "Unicast", section)),
        ("StatsUdp", section => Configure(new StatsUdpPlugin(), "StatsUdp", section)),
        ("Prometheus", section => Configure(new PrometheusPlugin(), "Prometheus", section)),
        ("Nats", section => Configure(new NatsPlugin(), "Nats", section)),
        ("Tls", section => TlsSettings.FromSection(section)),
    ];

    public string Name => "config";

    public string Description => "configuration files (joold run, netsocket, modsocket) through every plugin's reader";

    public void Run(ReadOnlySpan<byte> input)
    {
        string text;
        using (var reader = new StreamReader(new MemoryStream(input.ToArray()), Encoding.UTF8, detectEncodingFromByteOrderMarks: true))
        {
            text = reader.ReadToEnd();
        }

        ConfigSection root;
        try
        {
            root = ConfigSection.Parse(Source, text);
        }
        catch (JooldConfigException e)
        {
            FuzzCheck.That(e.Message.StartsWith(Source, StringComparison.Ordinal), "a syntax error that does not name the file");
            return;
        }

        // netsocket.json / modsocket.json (and any plugin's section given whole).
        foreach (var (name, read) in Readers)
        {
            Expect(name, read, root);
        }

        // joold run FILE: one section per property, named after the file and the plugin, as the host builds them.
        foreach (var plugin in root.Element.EnumerateObject())
        {
            ConfigSection section;
            try
            {
                section = new ConfigSection(string.Create(CultureInfo.InvariantCulture, $"{Source} ({plugin.Name})"), plugin.Value);
            }
            catch (JooldConfigException)
            {
                continue;
            }

            foreach (var (name, read) in Readers)
            {
                if (string.Equals(name, plugin.Name, StringComparison.Ordinal))
                {
                    Expect(name, read, section);
                }
            }
        }
    }

    public IEnumerable<(string Name, byte[] Bytes)> Seeds()
    {
        string[] files =
        [
            """{ "instance": "default", "netlink peer": 0, "receive buffer": 4194304 }""",
            """{ "multicast address": "ff08::db8:64:64", "multicast port": "6464", "in interface": "eth0", "out interface": "eth0", "ttl": 3, "receive buffer": 1048576, "send buffer": 65536 }""",
            """{ "multicast address": "233.252.0.64", "multicast port": "6464", "in interface": "192.0.2.1", "out interface": "192.0.2.1", "ttl": 3 }""",
            """
            {
              // joold run: one section per plugin.
              "JoolNetlink": { "instance": "nat64" },
              "Unicast": { "listen": "[2001:db8::1]:6400", "peers": ["192.0.2.2:6400", "[2001:db8::2]:6400"], "receive buffer": 65536 },
              "StatsUdp": { "address": "::1", "port": 6401 },
              "Prometheus": { "listen": "127.0.0.1:9464" },
            }
            """,
            """{ "Tls": { "listen": "[::]:6443", "peers": ["gw2.example.net:6443", "192.0.2.9:6443"], "certificate": "gw1.pem", "key": "gw1.key", "ca": "ca.pem", "queue": 65536, "resync interval": 10.5 } }""",
            """{ "Nats": { "servers": ["nats://127.0.0.1:4222"], "node": "gw1", "instance": "default", "stream": "JOOLD", "max age": "00:02:05", "replicas": 1, "buffer": 4096, "credentials": "gw1.creds", "tls ca": "ca.pem", "tls cert": "c.pem", "tls key": "c.key" } }""",
        ];
        return files.Select((text, i) => ($"config-{i}", Encoding.UTF8.GetBytes(text)));
    }

    private static void Configure(IJooldPlugin plugin, string name, ConfigSection section) =>
        plugin.ConfigureServices(new ServiceCollection(), new PluginContext(name, section, AppContext.BaseDirectory));

    private static void Expect(string plugin, Action<ConfigSection> read, ConfigSection section)
    {
        try
        {
            read(section);
        }
        catch (JooldConfigException e)
        {
            FuzzCheck.That(e.Message.StartsWith(section.Source, StringComparison.Ordinal), $"{plugin}: an error that does not name the file: {e.Message}");
        }
    }
}
