using System.Runtime.InteropServices;
using Netty.PySocket.Errors;
using Netty.PySocket.Net;

namespace Netty.PySocket.Socket;

/// <summary>
/// Sends the pipeline cannot carry: send/sendall with MSG_OOB (TCP urgent data; ftplib's abort() sends "ABOR\r\n"
/// so) and sendmsg with control data on a stream socket (AF_UNIX SCM_RIGHTS/SCM_CREDENTIALS: the control data rides
/// on the bytes). They go out through sendmsg(2) on the caller's thread, after every queued write has reached the
/// kernel, so the stream order holds. Plain sockets only (CPython's SSLSocket refuses flags and sendmsg itself).
/// </summary>
internal sealed partial class SocketCore
{
    /// <summary>Sends with MSG_OOB; <paramref name="all"/>: every byte (sendall), else what one send(2) takes.</summary>
    internal int SendUrgent(ReadOnlySpan<byte> data, in Deadline deadline, bool all) =>
        SendFlagged(data, null, SocketConstants.MSG_OOB, deadline, all);

    /// <summary>
    /// sendmsg with control data on a stream socket: one sendmsg(2) in non-blocking and timeout mode (bytes taken,
    /// as CPython's); in blocking mode every byte, as the kernel's blocking sendmsg (the control data goes with the
    /// first part).
    /// </summary>
    internal int SendMessage(ReadOnlySpan<byte> data, byte[] control, int flags, in Deadline deadline) =>
        SendFlagged(data, control, flags, deadline, all: deadline.IsInfinite);

    int SendFlagged(ReadOnlySpan<byte> data, byte[]? control, int flags, in Deadline deadline, bool all)
    {
        Task queued;
        lock (Sync)
        {
            CheckSendable();
            if (state != SocketState.Connected) throw PySocketException.OSError(Errno.EPIPE);
            if (!PlainPipeline) throw PySocketException.OSError(Errno.EOPNOTSUPP);
            queued = lastWrite;
        }
        if (!queued.IsCompleted)
        {
            int ms = deadline.IsInfinite ? Timeout.Infinite : deadline.RemainingMilliseconds(int.MaxValue);
            try
            {
                if (ms == 0 || !queued.Wait(ms)) throw deadline.IsNonBlocking ? PySocketException.WouldBlock() : PySocketException.Timeout();
            }
            catch (AggregateException)
            {
                // The failed write recorded its error: CheckSendable raises it below.
            }
        }
        int offset = 0, wake = -1;
        try
        {
            while (true)
            {
                int fd;
                lock (Sync)
                {
                    CheckSendable();
                    fd = PrimaryFd;
                }
                int n = SendCall(fd, data[offset..], offset == 0 ? control : null, flags, out int errno);
                if (n > 0) offset += n;
                if (offset == data.Length || (n > 0 && !all)) return offset;
                if (n < 0 && errno != Errno.EAGAIN) throw PySocketException.OSError(errno);
                if (deadline.IsNonBlocking)
                {
                    if (offset > 0 && !all) return offset;
                    throw PySocketException.WouldBlock();
                }
                if (wake < 0)
                {
                    wake = WakeDescriptor.Rent();
                    if (wake >= 0) lock (Sync) AddKernelWaiter(wake);
                }
                if (!WaitInKernel(fd, PollOut, wake, deadline)) throw PySocketException.Timeout();
            }
        }
        finally
        {
            if (wake >= 0) RemoveKernelWaiter(wake);
        }
    }

    /// <summary>
    /// sendmsg(2) with <paramref name="flags"/> (and MSG_NOSIGNAL, MSG_DONTWAIT: see <see cref="DescriptorIo"/>) under
    /// the direct-send gate: bytes sent, or -1 and the errno.
    /// </summary>
    unsafe int SendCall(int fd, ReadOnlySpan<byte> data, byte[]? control, int flags, out int errno)
    {
        lock (directSendGate)
        {
            fixed (byte* p = data)
            fixed (byte* c = control)
            {
                var iov = new LibC.IoVec { Base = p, Len = (nuint)data.Length };
                var msg = LibC.MsgHdr.Of(&iov, c, control?.Length ?? 0);
                nint n = LibC.SendMsg(fd, &msg, flags | SocketConstants.MSG_NOSIGNAL | SocketConstants.MSG_DONTWAIT);
                errno = n < 0 ? Marshal.GetLastPInvokeError() : 0;
                return (int)n;
            }
        }
    }
}
