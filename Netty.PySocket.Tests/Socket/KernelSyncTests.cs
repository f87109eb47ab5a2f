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
    public void CloseReleasesTheDescriptorPromptly()
    {
        // .NET closes the number only after its socket engine let go of the pending operation; close() waits for
        // that (bounded, design/unification-of-blocking-nonblocking.md). On a loaded machine the engine may take
        // longer than the bound, so this checks "released", with room, not "released before close returned".
        for (int i = 0; i < 20; i++)
        {
            var (c, s) = Loopback.Pair();
            int fd = c.Fileno();
            c.Close();
            Assert.True(SpinWait.SpinUntil(() => !LibC.IsOpen(fd), TimeSpan.FromSeconds(2)), "descriptor never released");
            s.Close();
        }
        var l = Loopback.Listener();
        int lfd = l.Fileno();
        l.Close();
        Assert.True(SpinWait.SpinUntil(() => !LibC.IsOpen(lfd), TimeSpan.FromSeconds(2)), "listening descriptor never released");
    }
}
