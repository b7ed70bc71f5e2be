namespace Joold.Netlink;

/// <summary>What nlctrl says about a generic netlink family: its id and its multicast groups by name.</summary>
public sealed record GenericNetlinkFamily(string Name, ushort Id, IReadOnlyDictionary<string, uint> Groups);
