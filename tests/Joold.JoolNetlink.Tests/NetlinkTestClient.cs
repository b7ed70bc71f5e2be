using System.Buffers.Binary;
using System.Text;
using Joold.FakeKernel;
using Joold.Netlink;

namespace Joold.JoolNetlink.Tests;

/// <summary>A bare netlink socket that talks to a fake kernel the way joold would, for pinning the fake to the spec.</summary>
public sealed class NetlinkTestClient : IDisposable
{
    private readonly NetlinkSocket _socket = NetlinkSocket.Open();
    private readonly FakeJoolKernel _fake;
    private readonly byte[] _buffer = new byte[65536];
    private uint _seq = 100;

    public NetlinkTestClient(FakeJoolKernel fake, bool joinGroup = true)
    {
        _fake = fake;
        if (joinGroup)
        {
            _socket.JoinGroup(fake.GroupId);
        }
    }

    public uint PortId => _socket.PortId;

    /// <summary>A joold request: REQUEST flag, genl version 1, the Jool header for <paramref name="instance"/>.</summary>
    public uint Send(byte cmd, string instance, ReadOnlySpan<byte> attributes = default, uint version = 0x04010F00, string magic = "jool", byte xt = 2, ushort reserved = 0)
    {
        uint seq = ++_seq;
        var message = new byte[48 + attributes.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)message.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), _fake.FamilyId);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(6), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(8), seq);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(12), PortId);
        message[16] = cmd;
        message[17] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(18), reserved);
        Encoding.ASCII.GetBytes(magic).CopyTo(message.AsSpan(20));
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(24), version);
        message[28] = xt;
        Encoding.ASCII.GetBytes(instance).CopyTo(message.AsSpan(32));
        attributes.CopyTo(message.AsSpan(48));
        SendRaw(message);
        return seq;
    }

    /// <summary>JOOLD_ADD with the container as one attribute of type <paramref name="type"/>.</summary>
    public uint SendAdd(string instance, ReadOnlySpan<byte> container, ushort type = 0x8007)
    {
        int padded = (container.Length + 3) & ~3;
        var attribute = new byte[4 + padded];
        BinaryPrimitives.WriteUInt16LittleEndian(attribute, (ushort)(4 + container.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(attribute.AsSpan(2), type);
        container.CopyTo(attribute.AsSpan(4));
        return Send(FakeJoolKernel.CmdJooldAdd, instance, attribute);
    }

    public void SendRaw(ReadOnlySpan<byte> message) =>
        Assert.Equal(System.Net.Sockets.SocketError.Success, _socket.SendTo(message, NetlinkAddress.Create(_fake.PortId)));

    /// <summary>The next datagram, whatever it is.</summary>
    public async Task<byte[]> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(timeout ?? TimeSpan.FromSeconds(10));
        var sender = NetlinkAddress.CreateForReceive();
        int length = await _socket.ReceiveAsync(_buffer, sender, deadline.Token);
        return _buffer.AsSpan(0, length).ToArray();
    }

    /// <summary>
    /// Proves that nothing came back for earlier requests: sends a HELLO and expects its answer to be the very next
    /// datagram (the fake answers in order).
    /// </summary>
    public async Task AssertNoReplyPendingAsync(string instance)
    {
        uint seq = Send(FakeJoolKernel.CmdInstanceHello, instance);
        byte[] next = await ReceiveAsync();
        Assert.Equal(seq, BinaryPrimitives.ReadUInt32LittleEndian(next.AsSpan(8)));
    }

    public void Dispose() => _socket.Dispose();
}
