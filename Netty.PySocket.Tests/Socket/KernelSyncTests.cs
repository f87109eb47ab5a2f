using Netty.PySocket.Select;
using Netty.PySocket.Socket;
using Netty.PySocket.Tests.Select;

namespace Netty.PySocket.Tests.Socket;

/// <summary>
/// What the kernel already has is visible at once, as in CPython, even though our event loop hears of it a little
/// later (SocketCore.KernelSync.cs), and close() releases the descriptor before it returns.
/// </summary>
[Collection(nameof(DescriptorNumbers))]
public class KernelSyncTests
{
    [Fact]
    public void NonBlockingRecvRightAfterThePeerSentSeesTheData()
    {
        var (peer, ours) = Loopback.WithNetClient();
        try
        {
            ours.SetBlocking(false);
            for (int i = 0; i < 200; i++)
            {
                peer.Send([(byte)i]);
                // No wait: the byte is in our kernel buffer once Send returned (loopback), so recv must not say EAGAIN.
                Assert.Equal(new[] { (byte)i }, ours.Recv(1));
            }
        }
        finally
        {
            peer.Dispose();
            ours.Close();
        }
    }

    [Fact]
    public void ZeroTimeoutSelectAndPollRightAfterThePeerSentReportReadable()
    {
        var (peer, ours) = Loopback.WithNetClient();
        var p = SelectModule.Poll();
        p.Register(ours, PollEvents.POLLIN);
        try
        {
            for (int i = 0; i < 100; i++)
            {
                peer.Send([1]);
                Assert.Single(SelectModule.Select([ours], [], [], 0).Readable);
                Assert.Single(p.Poll(0));
                Assert.Single(ours.Recv(1));
            }
        }
        finally
        {
            peer.Dispose();
            ours.Close();
        }
    }

    [Fact]
    public void CloseReleasesTheDescriptorBeforeReturning()
    {
        for (int i = 0; i < 50; i++)
        {
            var (c, s) = Loopback.Pair();
            int fd = c.Fileno();
            c.Close();
            Assert.False(LibC.IsOpen(fd), "descriptor still open after close()");
            s.Close();
        }
        var l = Loopback.Listener();
        int lfd = l.Fileno();
        l.Close();
        Assert.False(LibC.IsOpen(lfd), "listening descriptor still open after close()");
    }
}
