namespace Joold.Testing.Namespaces;

/// <summary>A point-to-point veth link between two nodes, outside the shared LAN.</summary>
/// <param name="NodeA">One end's node.</param>
/// <param name="A">The interface in <paramref name="NodeA"/>.</param>
/// <param name="NodeB">The other end's node.</param>
/// <param name="B">The interface in <paramref name="NodeB"/>.</param>
public sealed record TestLink(TestNode NodeA, TestInterface A, TestNode NodeB, TestInterface B)
{
    /// <summary>The end of this link that lies in <paramref name="node"/>.</summary>
    public TestInterface EndIn(TestNode node) =>
        ReferenceEquals(node, NodeA) ? A
        : ReferenceEquals(node, NodeB) ? B
        : throw new ArgumentException($"Node {node?.Name} is not an end of this link.", nameof(node));
}
