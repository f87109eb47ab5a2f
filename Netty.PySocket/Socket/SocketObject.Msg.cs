using System.Buffers;
using Netty.PySocket.Errors;
using Netty.PySocket.Net;

namespace Netty.PySocket.Socket;

public sealed partial class SocketObject
{
    /// <summary>
    /// Larger than any control data Linux queues for one datagram (SCM_RIGHTS' 253 descriptors, IPv6 options), so a
    /// bigger ancbufsize changes nothing but the allocation.
    /// </summary>
    const int MaxControl = 65536;

    /// <summary>
    /// <c>sendmsg(buffers[, ancdata[, flags[, address]]])</c> with the data already joined: item i of the ancillary
    /// data is (<paramref name="levels"/>[i], <paramref name="types"/>[i], <paramref name="items"/>[i]). On a datagram
    /// socket it is one sendmsg(2) with those control messages (errors are the kernel's: EINVAL for one it does not
    /// take); so on a connected AF_UNIX stream socket (SCM_RIGHTS, SCM_CREDENTIALS), after the queued writes. On a
    /// TCP socket SOL_SOCKET items fail with EINVAL, as on Linux, and the others are ignored.
    /// </summary>
    public int SendMsg(byte[] data, int[] levels, int[] types, byte[][] items, int flags, object? address)
    {
        try
        {
            if (levels.Length != types.Length || levels.Length != items.Length)
            {
                throw PySocketException.ValueError("ancillary data levels, types and items differ in length");
            }
            var messages = new ControlMessage[levels.Length];
            for (int i = 0; i < messages.Length; i++) messages[i] = new ControlMessage(levels[i], types[i], items[i]);
            CheckFlags(flags, SendFlags);
            if (Datagram is { } d)
            {
                byte[]? to = address is null ? null : KernelAddress(family, address, "sendmsg");
                return d.SendMessage(data, ControlMessage.Encode(messages), flags, to, DeadlineFor(flags));
            }
            if (levels.Length > 0 && family == SocketConstants.AF_UNIX && address is null)
            {
                return Core.SendMessage(data, ControlMessage.Encode(messages), flags, DeadlineFor(flags));
            }
            if (Array.Exists(levels, l => l == SocketConstants.SOL_SOCKET)) throw PySocketException.OSError(Errno.EINVAL);
            return address is null ? Send(data, flags) : SendTo(data, flags, address);
        }
        catch (Exception ex) when (ex is not PySocketException)
        {
            throw Boundary(ex);
        }
    }

    /// <summary>
    /// <c>recvmsg(bufsize[, ancbufsize[, flags]])</c>: <c>[bytes data, ancillary, int msg_flags, address or null,
    /// bool malformed]</c>, ancillary being <c>[int level, int type, bytes data]</c> items. On a datagram socket it is
    /// one recvmsg(2) with an <paramref name="ancbufsize"/>-byte control buffer: msg_flags are the kernel's
    /// (MSG_TRUNC, MSG_CTRUNC), and <c>malformed</c> says the control data was cut inside an item (CPython warns).
    /// A stream socket has no address; with a control buffer its recvmsg(2) too reads the kernel directly (the
    /// descriptors of SCM_RIGHTS), else it is a recv.
    /// </summary>
    public object?[] RecvMsg(int bufsize, int ancbufsize = 0, int flags = 0)
    {
        try
        {
            if (bufsize < 0) throw PySocketException.ValueError("negative buffer size in recvmsg()");
            if (ancbufsize < 0) throw PySocketException.ValueError("invalid ancillary data buffer length");
            CheckFlags(flags, RecvFlags | SocketConstants.MSG_CMSG_CLOEXEC);
            if (Datagram is not { } d)
            {
                if (ancbufsize == 0) return [Recv(bufsize, flags & ~SocketConstants.MSG_CMSG_CLOEXEC), Array.Empty<object?>(), 0, null, false];
                return StreamRecvMsg(bufsize, ancbufsize, flags);
            }
            int len = Math.Min(bufsize, MaxDatagram);
            byte[] rented = ArrayPool<byte>.Shared.Rent(Math.Max(len, 1));
            byte[] control = new byte[Math.Min(ancbufsize, MaxControl)];
            try
            {
                int n = d.ReceiveMessage(rented.AsSpan(0, len), control, flags, DeadlineFor(flags),
                    out byte[]? from, out int controlLength, out int messageFlags);
                object?[] ancillary = Ancillary(control.AsSpan(0, controlLength), out bool malformed);
                return [rented[..n], ancillary, messageFlags, FromKernel(from, family), malformed];
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
        catch (Exception ex) when (ex is not PySocketException)
        {
            throw Boundary(ex);
        }
    }

    object?[] StreamRecvMsg(int bufsize, int ancbufsize, int flags)
    {
        byte[] rented = ArrayPool<byte>.Shared.Rent(Math.Max(Math.Min(bufsize, MaxStreamMessage), 1));
        byte[] control = new byte[Math.Min(ancbufsize, MaxControl)];
        try
        {
            int n = Core.ReceiveMessage(rented.AsSpan(0, Math.Min(bufsize, MaxStreamMessage)), control, flags, DeadlineFor(flags),
                out int controlLength, out int messageFlags);
            object?[] ancillary = Ancillary(control.AsSpan(0, controlLength), out bool malformed);
            return [rented[..n], ancillary, messageFlags, null, malformed];
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The most one stream recvmsg reads (a recv's limit: the rest stays in the kernel).</summary>
    const int MaxStreamMessage = 256 * 1024;

    static object?[] Ancillary(ReadOnlySpan<byte> control, out bool malformed)
    {
        List<ControlMessage> messages = ControlMessage.Parse(control, out malformed);
        var ancillary = new object?[messages.Count];
        for (int i = 0; i < ancillary.Length; i++)
        {
            ancillary[i] = new object?[] { messages[i].Level, messages[i].Type, messages[i].Data };
        }
        return ancillary;
    }
}
