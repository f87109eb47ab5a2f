using System.Runtime.InteropServices;
using Netty.PySocket.Errors;
using Netty.PySocket.Net;

namespace Netty.PySocket.Socket;

/// <summary>
/// recvmsg with a control buffer on a stream socket (AF_UNIX SCM_RIGHTS/SCM_CREDENTIALS, design/socketobject.md "Ancillary
/// data on streams"): the control data rides on the bytes in the kernel, and a read without a control buffer
/// loses it (the kernel closes descriptors nobody took). So while callers own the reads, recvmsg(2) reads straight
/// from the kernel on the caller's thread under the read gate, as CPython's does. Bytes the event loop already
/// buffered (a select/poll watcher had it read) come without control data, as they would after a plain recv.
/// </summary>
internal sealed partial class SocketCore
{
    /// <summary>
    /// One recvmsg(2) into <paramref name="destination"/> and <paramref name="control"/> (the kernel's bytes:
    /// <paramref name="controlLength"/> is the msg_controllen it reports), waiting as the deadline allows;
    /// <paramref name="messageFlags"/> are the kernel's (MSG_CTRUNC...). <paramref name="flags"/> go to the kernel.
    /// </summary>
    internal unsafe int ReceiveMessage(Span<byte> destination, Span<byte> control, int flags, in Deadline deadline,
        out int controlLength, out int messageFlags)
    {
        controlLength = 0;
        messageFlags = 0;
        bool peek = (flags & SocketConstants.MSG_PEEK) != 0;
        int wake = -1;
        try
        {
            while (true)
            {
                PyTcpChannel? ch;
                int fd;
                lock (Sync)
                {
                    if (state == SocketState.Closed) throw BadFd();
                    ch = channel;
                    // Anything the pipeline holds or reads, and the end of the stream: the plain path answers.
                    if (ch is null || state != SocketState.Connected || !PlainPipeline || readBuffer.Count > 0 || inputEof || shutRead
                        || readError is not null || readPaused || Volatile.Read(ref watchers).Length > 0)
                        break;
                    callerReads = true; // the loop's read parks at its next completion
                    fd = PrimaryFd;
                }
                int n, errno;
                lock (ch.ReadGate)
                {
                    lock (Sync)
                    {
                        if (state != SocketState.Connected || readBuffer.Count > 0 || inputEof || shutRead || readError is not null) continue;
                        fixed (byte* p = destination)
                        fixed (byte* c = control)
                        {
                            var iov = new LibC.IoVec { Base = p, Len = (nuint)destination.Length };
                            var msg = LibC.MsgHdr.Of(&iov, c, control.Length);
                            n = (int)LibC.RecvMsg(fd, &msg, flags | SocketConstants.MSG_DONTWAIT);
                            errno = n < 0 ? Marshal.GetLastPInvokeError() : 0;
                            if (n >= 0)
                            {
                                controlLength = (int)Math.Min(msg.ControlLen, (nuint)control.Length);
                                messageFlags = msg.Flags;
                            }
                        }
                        if (n >= 0) return OnDirectReceive(n, peek);
                        if (errno == Errno.EINTR) continue;
                        if (errno != Errno.EAGAIN) return OnDirectReceive(-errno, peek);
                        if (deadline.IsNonBlocking) throw PySocketException.WouldBlock();
                        if (wake < 0 && (wake = WakeDescriptor.Rent()) >= 0) AddKernelWaiter(wake);
                    }
                }
                if (!WaitInKernel(fd, PollIn, wake, deadline)) throw PySocketException.Timeout();
            }
        }
        finally
        {
            if (wake >= 0) RemoveKernelWaiter(wake);
        }
        return Receive(destination, peek, deadline);
    }
}
