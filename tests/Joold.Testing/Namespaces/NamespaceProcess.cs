namespace Joold.Testing.Namespaces;

/// <summary>
/// A <see cref="DaemonProcess"/> started inside a node's namespace by <see cref="TestNetwork.StartProcess(TestNode, string, string[])"/>,
/// which kills it when the network is disposed (or earlier, when the handle is disposed first).
/// </summary>
public sealed class NamespaceProcess : DaemonProcess
{
    internal NamespaceProcess(
        TestNode node,
        string fileName,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment,
        string? workingDirectory)
        : base(fileName, arguments, workingDirectory, environment, node.Name)
    {
        Node = node;
    }

    /// <summary>The node the process runs in.</summary>
    public TestNode Node { get; }
}
