using System.Runtime.InteropServices;
using Netty.PySocket.Select;
using Netty.PySocket.Socket;
using Netty.PySocket.Tests.Socket;
using static Netty.PySocket.Select.PollEvents;

namespace Netty.PySocket.Tests.Select;

/// <summary>
/// Bytes written to our descriptor behind the library's back (os.sendfile: socket.sendfile) fill the kernel's send
/// buffer while nothing of ours is queued: select and poll answer from the kernel, and the kernel watcher tells
/// them when it drains (SocketCore.Readiness, KernelWatcher).
/// </summary>
public class KernelRoomTests
{
    [DllImport("libc", SetLastError = true)]
    static extern nint send(int fd, byte[] buf, nint len, int flags);

    const int MSG_DONTWAIT = 0x40;

    static void FillBehindOurBack(SocketObject s)
    {
        var chunk = new byte[64 * 1024];
        while (send(s.Fileno(), chunk, chunk.Length, MSG_DONTWAIT) > 0)
        {
        }
        Assert.Equal(11 /* EAGAIN */, Marshal.GetLastPInvokeError());
    }

    [Fact]
    public void AFullKernelIsNotWritableUntilItDrains()
    {
        var (c, s) = Loopback.Pair();
        var p = new PollObject();
        try
        {
            FillBehindOurBack(c);
            Assert.Empty(SelectModule.Select([], [c], [], 0.2).Writable);
            p.Register(c.Fileno(), POLLOUT);
            Assert.Empty(p.Poll(0));
            var waiting = Task.Run(() => SelectModule.Select([], [c], [], 30.0));
            // The peer drains: the kernel watcher reports the room, the waiting select returns.
            var buf = new byte[1 << 20];
            var sw = System.Diagnostics.Stopwatch.StartNew();
            while (!waiting.IsCompleted && sw.Elapsed < TimeSpan.FromSeconds(30))
            {
                s.SetTimeout(0.2);
                try
                {
                    s.RecvInto(buf, buf.Length, 0);
                }
                catch (Netty.PySocket.Errors.PySocketException)
                {
                    // Drained: the select must have seen the room by now.
                }
            }
            Assert.True(waiting.Wait(TimeSpan.FromSeconds(5)), "select never saw the room");
            Assert.Single(waiting.Result.Writable);
            // The poll object hears of the room from the kernel watcher's thread (its registrations are only looked
            // at again when told), so it may take a moment after the select: wait for it rather than poll(0).
            Assert.Contains(p.Poll(10.0), e => e.Fd == c.Fileno() && (e.Events & POLLOUT) != 0);
        }
        finally
        {
            SelectHelpers.CloseAll(c, s);
        }
    }
}
