using Joold.FakeKernel;

namespace Joold.Tls.Tests.Support;

/// <summary>The session containers a fake kernel received in JOOLD_ADD requests, in arrival order.</summary>
internal static class KernelAdds
{
    /// <summary>nlmsghdr (16) + genlmsghdr (4) + joolnlhdr (28): where the 0x8007 attribute starts.</summary>
    private const int AttributeOffset = 48;

    private const int JooldAdd = 27;

    public static async Task<IReadOnlyList<byte[]>> ContainersAsync(FakeKernelProcess kernel)
    {
        var received = await kernel.GetReceivedAsync();
        return received.Where(m => m.Type == kernel.FamilyId && m.Command == JooldAdd).Select(Container).ToList();
    }

    private static byte[] Container(ReceivedMessage message)
    {
        var bytes = message.Bytes;
        int length = BitConverter.ToUInt16(bytes, AttributeOffset);
        int type = BitConverter.ToUInt16(bytes, AttributeOffset + 2) & 0x7FFF;
        Assert.Equal(7, type);
        return bytes[(AttributeOffset + 4)..(AttributeOffset + length)];
    }
}
