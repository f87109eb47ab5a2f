using DotNetty.Buffers;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Sockets;
using System.Runtime.InteropServices;
using Netty.PySocket.Net;

namespace Netty.PySocket.Socket;

/// <summary>
/// A <see cref="TcpSocketChannel"/> that supports TCP half-close. DotNetty 0.7.6 closes a channel whenever a read
/// returns EOF (<c>SocketByteChannelUnsafe.CloseOnRead</c>: "todo: support half-closure"), so a peer that did
/// shutdown(SHUT_WR) could never get our reply. Our unsafe marks input shut down and fires
/// <see cref="ChannelInputShutdownEvent"/> instead; the channel stays open for writing until Python closes it.
/// </summary>
internal sealed class PyTcpChannel : TcpSocketChannel
{
    /// <summary>A channel for a socket that is already connected: accepted by <paramref name="parent"/>, or (null) connected by us or a socketpair.</summary>
    public PyTcpChannel(IChannel? parent, System.Net.Sockets.Socket socket)
        : base(parent, socket)
    {
        // TcpSocketChannel's "connected" constructor is internal; do what it does.
        SetState(StateFlags.Active);
        CacheLocalAddress();
        CacheRemoteAddress();
    }

    /// <summary>
    /// Held while bytes move from the kernel into the pipeline (event loop) or straight to a caller (direct recv),
    /// so the two never reorder the stream. Order: ReadGate before the socket's lock.
    /// </summary>
    internal readonly object ReadGate = new();

    /// <summary>The socket this channel carries (told of read failures under the read gate).</summary>
    internal SocketCore? Owner;

    /// <summary>The socket under the channel (we created or accepted it and keep options on it).</summary>
    public System.Net.Sockets.Socket RawSocket => Socket;

    /// <summary>True once a read saw EOF (the peer shut down its output).</summary>
    public bool IsInputShutdown => InputShutdown;

    protected override IChannelUnsafe NewUnsafe() => new HalfClosingUnsafe(this);

    /// <summary>
    /// While callers own the reads (SocketCore.CallerReads) no read is scheduled at all: a socket that only ever sees
    /// blocking recv is never put on the socket engine's epoll set, whose wake-up on every arrival and every freed
    /// send-buffer slot would cost a thread switch that raw blocking sockets do not pay.
    /// </summary>
    protected override void DoBeginRead()
    {
        if (Owner?.ParkLoopRead() == true) return;
        base.DoBeginRead();
    }

    /// <summary>Plain bytes written past a TLS handler (or queued as it was removed) go out as they are.</summary>
    protected override object FilterOutboundMessage(object msg)
    {
        if (msg is KernelBytes k)
        {
            IByteBuffer content = k.Content;
            content.Retain();
            k.Release();
            return base.FilterOutboundMessage(content);
        }
        return base.FilterOutboundMessage(msg);
    }

    /// <summary>
    /// close(2), as CPython's close, and not TcpSocketChannel.DoClose's shutdown(SHUT_RDWR) first: the connection lives
    /// on while another process holds a descriptor of it (a forked child, an fd passed with SCM_RIGHTS), and FIN
    /// goes out with the last one, after the bytes still in the kernel. DotNetty shut down because .NET's
    /// Socket.Dispose turns a close that cancels a pending operation (the loop's read) into an abortive one
    /// (SO_LINGER 0: a reset, and what the send queue still held is lost) unless Shutdown(Send) was called. So a
    /// second descriptor holds the socket while .NET closes its own; then the linger the user chose is put back and
    /// closing our descriptor ends the socket as close(2) would (a reset only under the user's SO_LINGER 0).
    /// </summary>
    protected override unsafe void DoClose()
    {
        TryResetState(StateFlags.Active); // skips the shutdown
        int keep = -1;
        byte* linger = stackalloc byte[8];
        SafeHandle h = Socket.SafeHandle;
        bool added = false;
        try
        {
            h.DangerousAddRef(ref added);
            int fd = (int)h.DangerousGetHandle();
            int len = 8;
            if (LibC.GetSockOpt(fd, SocketConstants.SOL_SOCKET, SocketConstants.SO_LINGER, linger, &len) == 0)
            {
                keep = LibC.Fcntl(fd, LibC.F_DUPFD_CLOEXEC, 0);
            }
        }
        catch (ObjectDisposedException)
        {
            // Closed already: nothing to hold.
        }
        finally
        {
            if (added) h.DangerousRelease();
        }
        try
        {
            base.DoClose();
        }
        finally
        {
            if (keep >= 0)
            {
                LibC.SetSockOpt(keep, SocketConstants.SOL_SOCKET, SocketConstants.SO_LINGER, linger, 8);
                LibC.Close(keep);
            }
        }
    }

    /// <summary>
    /// TcpSocketChannel.DoReadBytes returns EOF whenever <c>Socket.Connected</c> is false, and .NET clears
    /// Connected after any Shutdown, even SHUT_WR: the reply of a half-closed peer would be lost. Read anyway.
    /// </summary>
    protected override int DoReadBytes(IByteBuffer byteBuf)
    {
        int received;
        System.Net.Sockets.SocketError error;
        try
        {
            received = Socket.Receive(byteBuf.Array, byteBuf.ArrayOffset + byteBuf.WriterIndex, byteBuf.WritableBytes,
                System.Net.Sockets.SocketFlags.None, out error);
        }
        catch (ObjectDisposedException)
        {
            return -1;
        }
        switch (error)
        {
            case System.Net.Sockets.SocketError.Success:
                if (received == 0) return -1;
                break;
            case System.Net.Sockets.SocketError.WouldBlock:
                if (received == 0) return 0;
                break;
            default:
                throw new System.Net.Sockets.SocketException((int)error);
        }
        byteBuf.SetWriterIndex(byteBuf.WriterIndex + received);
        return received;
    }

    sealed class HalfClosingUnsafe : SocketByteChannelUnsafe
    {
        public HalfClosingUnsafe(PyTcpChannel channel)
            : base(channel)
        {
        }

        // Mirrors SocketByteChannelUnsafe.FinishRead (DotNetty 0.7.6) except for what happens at EOF.
        public override void FinishRead(SocketChannelAsyncOperation operation)
        {
            var ch = (PyTcpChannel)channel;
            if ((ch.ResetState(StateFlags.ReadScheduled) & StateFlags.Active) == 0)
            {
                return; // read was signalled as a result of channel closure
            }
            if (ch.Owner?.ParkLoopRead() == true)
            {
                return; // a caller reads the kernel itself (SocketCore.CallerReads): re-armed when it hands back
            }
            IChannelConfiguration config = ch.Configuration;
            IChannelPipeline pipeline = ch.Pipeline;
            IByteBufferAllocator allocator = config.Allocator;
            IRecvByteBufAllocatorHandle allocHandle = RecvBufAllocHandle;
            allocHandle.Reset(config);

            IByteBuffer? byteBuf = null;
            bool eof = false;
            bool failed = false;
            try
            {
                operation.Validate();
                do
                {
                    byteBuf = allocHandle.Allocate(allocator);
                    lock (ch.ReadGate)
                    {
                        try
                        {
                            allocHandle.LastBytesRead = ch.DoReadBytes(byteBuf);
                        }
                        catch (Exception ex)
                        {
                            // The kernel reports a reset once, to one reader: record it before a direct read can
                            // take the gate and read the EOF that follows it.
                            ch.Owner?.OnReadFailed(ex);
                            throw;
                        }
                        if (allocHandle.LastBytesRead <= 0)
                        {
                            byteBuf.Release();
                            byteBuf = null;
                            eof = allocHandle.LastBytesRead < 0;
                            break;
                        }
                        allocHandle.IncMessagesRead(1);
                        ch.ClearReadPending();
                        pipeline.FireChannelRead(byteBuf);
                        byteBuf = null;
                    }
                }
                while (allocHandle.ContinueReading());

                allocHandle.ReadComplete();
                pipeline.FireChannelReadComplete();
                if (eof)
                {
                    ShutdownInputOnEof(ch, pipeline);
                }
            }
            catch (Exception ex)
            {
                failed = true;
                if (byteBuf is not null)
                {
                    if (byteBuf.IsReadable())
                    {
                        pipeline.FireChannelRead(byteBuf);
                    }
                    else
                    {
                        byteBuf.Release();
                    }
                }
                allocHandle.ReadComplete();
                pipeline.FireChannelReadComplete();
                pipeline.FireExceptionCaught(ex);
                // A reset or other socket error ends the input side for good; the exception handler
                // already recorded it for recv (ECONNRESET). Keep the channel for the owner to close.
                ShutdownInputOnEof(ch, pipeline);
            }
            finally
            {
                if (!eof && !failed && config.AutoRead)
                {
                    ch.DoBeginRead();
                }
            }
        }

        static void ShutdownInputOnEof(PyTcpChannel ch, IChannelPipeline pipeline)
        {
            if (ch.InputShutdown) return;
            ch.ShutdownInput();
            if (ch.Open)
            {
                pipeline.FireUserEventTriggered(ChannelInputShutdownEvent.Instance);
            }
        }
    }
}
