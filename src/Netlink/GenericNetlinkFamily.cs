namespace Joold.Netlink;

/// <summary>What nlctrl says about a generic netlink family: its id and its multicast groups by name.</summary>
/// <param name="Name">The family name (CTRL_ATTR_FAMILY_NAME), empty when the answer has none.</param>
/// <param name="Id">The family id (CTRL_ATTR_FAMILY_ID): the nlmsg_type of the family's messages.</param>
/// <param name="Groups">Multicast group ids by group name (CTRL_ATTR_MCAST_GROUPS).</param>
public sealed record GenericNetlinkFamily(string Name, ushort Id, IReadOnlyDictionary<string, uint> Groups);
