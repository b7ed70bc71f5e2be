namespace Joold.Plugins.JoolNetlink.Netlink;

/// <summary>What nlctrl says about a generic netlink family: its id and its multicast groups by name.</summary>
internal sealed record GenericNetlinkFamily(string Name, ushort Id, IReadOnlyDictionary<string, uint> Groups);
