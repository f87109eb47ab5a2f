using DotNetty.Transport.Channels;
using Netty.PySocket.Runtime;

namespace Netty.PySocket.Socket;

/// <summary>
/// The doc's ChildInitializer: sits in a listening channel's pipeline, sets up each accepted child
/// (its <see cref="SocketCore"/> and handler), registers it with the shared group and pushes it onto the
/// listening socket's queue for accept().
/// </summary>
internal sealed class ChildInitializer : ChannelHandlerAdapter
{
    readonly SocketCore listener;

    public ChildInitializer(SocketCore listener) => this.listener = listener;

    public override void ChannelRead(IChannelHandlerContext context, object message)
    {
        listener.OnChildAccepted(listener.AdoptChild((PyTcpChannel)message));
    }

    public override void ExceptionCaught(IChannelHandlerContext context, Exception exception) => SocketsLog.ChannelError(listener.PrimaryFd, exception);

    public override void ChannelInactive(IChannelHandlerContext context) => listener.OnInactive();
}
