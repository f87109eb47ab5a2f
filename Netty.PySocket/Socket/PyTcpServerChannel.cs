using System.Net.Sockets;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Sockets;

namespace Netty.PySocket.Socket;

/// <summary>
/// A listening channel around a socket Python already bound and put into listen state. DotNetty's own
/// <see cref="TcpServerSocketChannel"/> creates plain <see cref="TcpSocketChannel"/> children (its PrepareChannel
/// is private), which cannot half-close; this one creates <see cref="PyTcpChannel"/> children.
/// </summary>
internal sealed class PyTcpServerChannel : TcpServerSocketChannel
{
    public PyTcpServerChannel(System.Net.Sockets.Socket socket)
        : base(socket)
    {
        // What DoBind would have done: the accept completion checks the Active state flag, not the Active property.
        SetState(StateFlags.Active);
        CacheLocalAddress();
    }

    public System.Net.Sockets.Socket RawSocket => Socket;

    /// <summary>The listening socket (asked whether callers own the accepts).</summary>
    internal SocketCore? Owner { get; init; }

    /// <summary>On the event loop: the accept parked while callers owned them starts (the read stays scheduled).</summary>
    internal void ResumeAccept()
    {
        if (Open) ScheduleSocketRead();
    }

    SocketChannelAsyncOperation? acceptOperation;
    long acceptsCompleted;
    long acceptsDelivered;

    /// <summary>
    /// Accepts the socket engine has completed that the event loop has not delivered yet: the connection has left
    /// the kernel's queue but is not in ours. A non-blocking accept waits briefly for them (SocketCore.KernelSync).
    /// </summary>
    public bool AcceptInFlight => Interlocked.Read(ref acceptsCompleted) > Interlocked.Read(ref acceptsDelivered);

    // TcpServerSocketChannel.ScheduleSocketRead with our own operation, which also counts completions on the
    // engine's thread, before the hop to the event loop.
    protected override void ScheduleSocketRead()
    {
        if (Owner?.ParkLoopAccept() == true) return; // callers accept (SocketCore.CallerAccepts); no AcceptAsync pending
        SocketChannelAsyncOperation operation = acceptOperation ??= NewAcceptOperation();
        try
        {
            if (!Socket.AcceptAsync(operation))
            {
                Interlocked.Increment(ref acceptsCompleted);
                EventLoop.Execute(o => ((AcceptingUnsafe)Unsafe).FinishRead((SocketChannelAsyncOperation)o!), operation);
            }
        }
        catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
        {
            if (Open) _ = Unsafe.CloseAsync();
        }
    }

    SocketChannelAsyncOperation NewAcceptOperation()
    {
        var operation = new SocketChannelAsyncOperation(this, false);
        operation.Completed += (_, _) => Interlocked.Increment(ref acceptsCompleted);
        return operation;
    }

    protected override void DoClose()
    {
        base.DoClose();
        acceptOperation?.Dispose();
        acceptOperation = null;
    }

    // Python bound and listened already; the channel never binds.
    protected override void DoBind(System.Net.EndPoint localAddress) => throw new NotSupportedException();

    protected override IChannelUnsafe NewUnsafe() => new AcceptingUnsafe(this);

    sealed class AcceptingUnsafe : AbstractSocketUnsafe
    {
        public AcceptingUnsafe(PyTcpServerChannel channel)
            : base(channel)
        {
        }

        // Mirrors TcpServerSocketChannelUnsafe.FinishRead (DotNetty 0.7.6) with our child type.
        public override void FinishRead(SocketChannelAsyncOperation operation)
        {
            var ch = (PyTcpServerChannel)channel;
            Interlocked.Increment(ref ch.acceptsDelivered);
            if ((ch.ResetState(StateFlags.ReadScheduled) & StateFlags.Active) == 0)
            {
                return;
            }
            IChannelConfiguration config = ch.Configuration;
            IChannelPipeline pipeline = ch.Pipeline;
            IRecvByteBufAllocatorHandle allocHandle = RecvBufAllocHandle;
            allocHandle.Reset(config);

            bool closed = false;
            Exception? exception = null;
            try
            {
                System.Net.Sockets.Socket? accepted = null;
                try
                {
                    accepted = operation.AcceptSocket;
                    operation.AcceptSocket = null;
                    operation.Validate();
                    Deliver(ch, pipeline, accepted!);
                    accepted = null;
                    allocHandle.IncMessagesRead(1);
                    if (config.AutoRead)
                    {
                        while (allocHandle.ContinueReading())
                        {
                            accepted = ch.Socket.Accept();
                            Deliver(ch, pipeline, accepted);
                            accepted = null;
                            allocHandle.IncMessagesRead(1);
                        }
                    }
                }
                catch (SocketException ex) when (ex.SocketErrorCode is SocketError.OperationAborted or SocketError.InvalidArgument)
                {
                    closed = true;
                }
                catch (SocketException ex) when (ex.SocketErrorCode == SocketError.WouldBlock)
                {
                }
                catch (SocketException)
                {
                    // e.g. EMFILE or a connection reset before accept: the listener goes on (as Netty).
                    accepted?.Dispose();
                }
                catch (ObjectDisposedException)
                {
                    closed = true;
                }
                catch (Exception ex)
                {
                    accepted?.Dispose();
                    exception = ex;
                }

                allocHandle.ReadComplete();
                pipeline.FireChannelReadComplete();
                if (exception is not null)
                {
                    pipeline.FireExceptionCaught(exception);
                }
                if (closed && ch.Open)
                {
                    _ = CloseAsync();
                }
            }
            finally
            {
                if (!closed && config.AutoRead)
                {
                    ch.DoBeginRead();
                }
            }
        }

        static void Deliver(PyTcpServerChannel ch, IChannelPipeline pipeline, System.Net.Sockets.Socket accepted)
        {
            PyTcpChannel child;
            try
            {
                child = new PyTcpChannel(ch, accepted);
            }
            catch
            {
                accepted.Dispose();
                throw;
            }
            ch.ClearReadPending();
            pipeline.FireChannelRead(child);
        }
    }
}
