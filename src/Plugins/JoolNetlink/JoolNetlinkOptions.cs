using System.Text;
using Joold.Configuration;

namespace Joold.Plugins.JoolNetlink;

/// <summary>The plugin's settings, read from its section (C joold's modsocket.json).</summary>
public sealed class JoolNetlinkOptions
{
    public const string InstanceKey = "instance";
    public const string NetlinkPeerKey = "netlink peer";
    public const string ReceiveBufferKey = "receive buffer";

    /// <summary>4 MiB: room for a burst of several hundred kernel batches between two reads.</summary>
    public const int DefaultReceiveBuffer = 4 * 1024 * 1024;

    /// <summary>The Jool instance whose sessions this daemon synchronizes. Defaults to "default".</summary>
    public string Instance { get; init; } = Interop.Jool.INAME_DEFAULT;

    /// <summary>
    /// The netlink port id every request goes to, family resolution included. 0 (the default) is the kernel; any
    /// other value is a testing aid that points the plugin at a user-space fake kernel.
    /// </summary>
    public uint NetlinkPeer { get; init; }

    /// <summary>The socket receive buffer in bytes.</summary>
    public int ReceiveBuffer { get; init; } = DefaultReceiveBuffer;

    /// <summary>Reads and checks the section; errors name the file and key.</summary>
    public static JoolNetlinkOptions FromSection(ConfigSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        string instance = section.GetString(InstanceKey, Interop.Jool.INAME_DEFAULT) ?? Interop.Jool.INAME_DEFAULT;
        if (!IsValidInstanceName(instance))
        {
            throw new JooldConfigException(
                section.Source,
                InstanceKey,
                $"\"{instance}\"",
                $"an instance name of 1 to {Interop.Jool.INAME_MAX_SIZE - 1} printable ASCII characters (0x20-0x7E), as Jool requires");
        }

        return new JoolNetlinkOptions
        {
            Instance = instance,
            NetlinkPeer = (uint)section.GetInt64(NetlinkPeerKey, 0, 0, uint.MaxValue, "a netlink port id from 0 (the kernel) to 4294967295"),
            ReceiveBuffer = section.GetInt32(ReceiveBufferKey, DefaultReceiveBuffer, 1024, int.MaxValue / 2),
        };
    }

    /// <summary>
    /// What the kernel accepts (spec 1.5): 1 to 15 characters, each 0x20-0x7E. An empty name would mean "default"
    /// to the kernel; it is refused here so the configuration says what it means.
    /// </summary>
    public static bool IsValidInstanceName(string name) =>
        name.Length is > 0 and < Interop.Jool.INAME_MAX_SIZE && name.All(c => c is >= ' ' and <= '~');

    /// <summary>The name as the bytes that go into the Jool header.</summary>
    internal byte[] InstanceNameBytes() => Encoding.ASCII.GetBytes(Instance);
}
