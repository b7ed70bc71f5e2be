using System.Text;
using Joold.Netlink;
using Tmds.Linux;
using static Joold.FakeKernel.JoolDefinitions;

namespace Joold.FakeKernel;

/// <summary>
/// A request to the Jool family, from its headers to its answer: the checks of <see cref="RequestValidation"/>,
/// then Jool's handlers for the four commands joold uses (INSTANCE_HELLO, JOOLD_ADD, JOOLD_ADVERTISE, JOOLD_ACK;
/// spec 4.4 to 4.6 and section 8) and the test knobs of <see cref="KernelState"/>. Runs under the kernel's lock.
/// </summary>
internal sealed class JoolCommandHandlers(KernelState state, KernelSocket socket)
{
    public void Handle(uint from, in NetlinkMessage message)
    {
        if (!JoolRequest.TryParse(message, from, out var request, out int headerError))
        {
            NetlinkError(message.Bytes, from, headerError);
            return;
        }

        if (state.IgnoredCommands.Contains(request.Command))
        {
            return;
        }

        int operationError = RequestValidation.CheckOperation(request);
        if (operationError != 0)
        {
            NetlinkError(request.Message, from, operationError);
            return;
        }

        string? refused = RequestValidation.CheckJoolHeader(request, state.Instances, out int errno, out var instance);
        if (refused is not null)
        {
            ErrorReply(request, errno, refused);
            return;
        }

        if (state.ForcedError is { } forced && request.Command != JNLOP_JOOLD_ACK)
        {
            ErrorReply(request, forced.Errno, forced.Message);
            return;
        }

        switch (request.Command)
        {
            case JNLOP_INSTANCE_HELLO:
                Reply(request, KernelMessages.Reply(state.FamilyId, request.Sequence, request.Sender, request.Header, instance is null ? IHS_DEAD : IHS_ALIVE));
                break;
            case JNLOP_JOOLD_ACK:
                Ack(request, instance!);
                break;
            case JNLOP_JOOLD_ADVERTISE:
                Advertise(request, instance!);
                break;
            default:
                Add(request, instance!);
                break;
        }
    }

    /// <summary>JOOLD_ACK (spec 4.4): opens the window; accepted or not, it gets no reply.</summary>
    private void Ack(in JoolRequest request, FakeInstance instance)
    {
        switch (state.AckMode)
        {
            case AckMode.Drop:
                return;
            case AckMode.Reject:
                ErrorReply(request, LibC.ESRCH, $"This namespace lacks an instance named '{instance.Name}'.");
                return;
        }

        if (instance.Settings.Enabled)
        {
            instance.Queue.Ack(state.NowMs);
        }
    }

    /// <summary>JOOLD_ADVERTISE (spec 4.5): queues the database and answers success or the refusal.</summary>
    private void Advertise(in JoolRequest request, FakeInstance instance)
    {
        string? refused = instance.Advertise(state.NowMs);
        if (refused is null)
        {
            Reply(request, KernelMessages.Reply(state.FamilyId, request.Sequence, request.Sender, request.Header));
        }
        else
        {
            ErrorReply(request, LibC.EINVAL, refused);
        }
    }

    /// <summary>JOOLD_ADD (spec 4.6): every entry into the database; no reply unless an entry failed.</summary>
    private void Add(in JoolRequest request, FakeInstance instance)
    {
        if (!instance.Settings.Enabled)
        {
            ErrorReply(request, LibC.EINVAL, "Session sync is disabled on this instance.");
            return;
        }

        if (!AttributeLookup.TryGetLast(request.Attributes, JNLAR_SESSION_ENTRIES, out var container))
        {
            // Jool itself would dereference NULL here (spec 4.6); a fake refuses instead.
            ErrorReply(request, LibC.EINVAL, "The request lacks a session container.");
            return;
        }

        int walked = 0;
        var errors = new StringBuilder();
        long now = state.NowMs;

        // nla_for_each_nested: every attribute, whatever its type; malformed trailing bytes end the walk silently.
        foreach (var entry in new NetlinkAttributeEnumerator(container))
        {
            walked++;
            string? failure = SerializedSessionReader.TryRead(entry.Payload, out var session);
            if (failure is null)
            {
                instance.AddFromPeer(session, now);
            }
            else
            {
                errors.Append(failure.Length > ERROR_MESSAGE_PIECE_MAX ? failure[..ERROR_MESSAGE_PIECE_MAX] : failure);
            }
        }

        instance.CountReceived(walked);
        if (errors.Length > 0)
        {
            ErrorReply(request, LibC.EINVAL, errors.ToString());
        }
    }

    private void ErrorReply(in JoolRequest request, int errno, string text) =>
        Reply(request, KernelMessages.ErrorReply(state.FamilyId, request.Sequence, request.Sender, request.Header, errno, text));

    private void Reply(in JoolRequest request, byte[] message) => socket.SendTo(request.Sender, message);

    private void NetlinkError(ReadOnlySpan<byte> offending, uint from, int negativeErrno) =>
        socket.SendTo(from, KernelMessages.NetlinkError(offending, from, negativeErrno));
}
