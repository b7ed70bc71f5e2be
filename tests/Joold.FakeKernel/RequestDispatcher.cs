using Joold.Netlink;
using Tmds.Linux;
using static Joold.Netlink.Interop.Netlink;

namespace Joold.FakeKernel;

/// <summary>
/// One received datagram, the way netlink_rcv_skb and genl_rcv_msg take it apart: each whole message is recorded,
/// requests go to nlctrl or to the Jool family, any other family gets -ENOENT. Runs under the kernel's lock.
/// </summary>
internal sealed class RequestDispatcher(KernelState state, KernelSocket socket, NetlinkController controller, JoolCommandHandlers handlers)
{
    public void Dispatch(uint from, ReadOnlySpan<byte> datagram)
    {
        try
        {
            // A tail that makes no whole message is dropped silently, as netlink_rcv_skb does.
            foreach (var message in new NetlinkMessageEnumerator(datagram))
            {
                if (state.Recording)
                {
                    state.Received = state.Received.Add(new ReceivedMessage(from, message.Bytes.ToArray()));
                }

                if ((message.Flags & NLM_F_REQUEST) == 0 || message.Type < NLMSG_MIN_TYPE)
                {
                    continue; // Not a request, or a netlink control message: skipped, not answered.
                }

                if (message.Type == GENL_ID_CTRL)
                {
                    controller.Handle(from, message);
                }
                else if (message.Type == state.FamilyId)
                {
                    handlers.Handle(from, message);
                }
                else
                {
                    socket.SendTo(from, KernelMessages.NetlinkError(message.Bytes, from, -LibC.ENOENT));
                }
            }
        }
        catch (Exception e)
        {
            // A bug of the fake, not of the sender: counted (tests expect none) and the fake goes on serving.
            state.HandlerFaults++;
            state.LastHandlerFault = e.ToString();
        }
    }
}
