using DotNetty.Buffers;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Sockets;

namespace Netty.PySocket.Socket;

/// <summary>
/// Last handler of a connected channel's pipeline: hands every event to its <see cref="SocketCore"/>, which
/// buffers data and wakes the threads blocked on it (the doc's "read handler ... notify a condition").
/// </summary>
internal sealed class SocketHandler : ChannelHandlerAdapter
{
    internal const string Name = "pysocket";
    readonly SocketCore core;

    public SocketHandler(SocketCore core) => this.core = core;

    public override void ChannelRead(IChannelHandlerContext context, object message)
    {
        if (message is IByteBuffer buffer)
        {
            core.OnData(buffer);
        }
        else
        {
            DotNetty.Common.Utilities.ReferenceCountUtil.Release(message);
        }
    }

    public override void ChannelWritabilityChanged(IChannelHandlerContext context) => core.OnWritabilityChanged();

    public override void UserEventTriggered(IChannelHandlerContext context, object evt)
    {
        if (evt is ChannelInputShutdownEvent)
        {
            core.OnInputShutdown();
        }
    }

    public override void ExceptionCaught(IChannelHandlerContext context, Exception exception) => core.OnError(exception);

    public override void ChannelInactive(IChannelHandlerContext context) => core.OnInactive();
}
