using System.Runtime.InteropServices;
using Netty.PySocket.Errors;
using Netty.PySocket.Net;

namespace Netty.PySocket.Socket;

/// <summary>
/// send/sendall with MSG_OOB (TCP urgent data; ftplib's abort() sends "ABOR\r\n" so): the bytes go out through
/// send(2) with the flag on the caller's thread, after every queued write has reached the kernel, so the stream
/// order holds. Plain sockets only (CPython's SSLSocket refuses flags itself).
/// </summary>
internal sealed partial class SocketCore
{
    /// <summary>Sends with MSG_OOB; <paramref name="all"/>: every byte (sendall), else what one send(2) takes.</summary>
    internal int SendUrgent(ReadOnlySpan<byte> data, in Deadline deadline, bool all)
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
                int n = SendFlagged(fd, data[offset..], SocketConstants.MSG_OOB, out int errno);
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

    /// <summary>send(2) with <paramref name="flags"/> (and MSG_NOSIGNAL, MSG_DONTWAIT: see <see cref="DescriptorIo"/>) under the direct-send gate: bytes sent, or -1 and the errno.</summary>
    unsafe int SendFlagged(int fd, ReadOnlySpan<byte> data, int flags, out int errno)
    {
        lock (directSendGate)
        {
            fixed (byte* p = data)
            {
                nint n = LibC.Send(fd, p, (nuint)data.Length, flags | SocketConstants.MSG_NOSIGNAL | SocketConstants.MSG_DONTWAIT);
                errno = n < 0 ? Marshal.GetLastPInvokeError() : 0;
                return (int)n;
            }
        }
    }
}
