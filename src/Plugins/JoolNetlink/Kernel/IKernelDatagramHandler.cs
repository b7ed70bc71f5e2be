using System.Net;

namespace Joold.Plugins.JoolNetlink.Kernel;

/// <summary>What <see cref="KernelConnection"/>'s receive loop hands each datagram to. Called on the loop, one call at a time.</summary>
internal interface IKernelDatagramHandler
{
    /// <summary>
    /// One datagram, in the connection's receive buffer, and its sender's address: both are reused for the next
    /// datagram once the returned task completes.
    /// </summary>
    ValueTask OnDatagramAsync(ReadOnlyMemory<byte> datagram, SocketAddress sender);

    /// <summary>The loop was woken by <see cref="KernelConnection.WakeAsync"/> rather than by a datagram.</summary>
    ValueTask OnWakeAsync();
}
