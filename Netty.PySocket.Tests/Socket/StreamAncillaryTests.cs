using System.Runtime.InteropServices;
using Netty.PySocket.Errors;
using Netty.PySocket.Socket;
using Netty.PySocket.Tests.Select;
using static Netty.PySocket.Net.SocketConstants;

namespace Netty.PySocket.Tests.Socket;

/// <summary>
/// sendmsg/recvmsg with control data on AF_UNIX stream sockets (SocketCore.RecvMsg, SocketCore.FlaggedSend): the
/// descriptors of SCM_RIGHTS arrive with their bytes, in stream order, in every mode.
/// </summary>
[Collection(nameof(DescriptorNumbers))]
public class StreamAncillaryTests
{
    [DllImport("libc", SetLastError = true)]
    static extern int pipe(int[] fds);

    [DllImport("libc", SetLastError = true)]
    static extern nint write(int fd, byte[] buf, nint count);

    [DllImport("libc", SetLastError = true)]
    static extern nint read(int fd, byte[] buf, nint count);

    [DllImport("libc", SetLastError = true)]
    static extern int close(int fd);

    static int[] Pipe()
    {
        var fds = new int[2];
        Assert.Equal(0, pipe(fds));
        return fds;
    }

    static byte[] Fds(params int[] fds)
    {
        var b = new byte[fds.Length * 4];
        for (int i = 0; i < fds.Length; i++) BitConverter.TryWriteBytes(b.AsSpan(i * 4), fds[i]);
        return b;
    }

    static int SendFds(SocketObject s, byte[] data, params int[] fds) =>
        s.SendMsg(data, [SOL_SOCKET], [SCM_RIGHTS], [Fds(fds)], 0, null);

    /// <summary>The one descriptor of a recvmsg result's single SCM_RIGHTS item.</summary>
    static int ReceivedFd(object?[] result)
    {
        var item = (object?[])Assert.Single((object?[])result[1]!)!;
        Assert.Equal(SOL_SOCKET, item[0]);
        Assert.Equal(SCM_RIGHTS, item[1]);
        var data = (byte[])item[2]!;
        Assert.Equal(4, data.Length);
        return BitConverter.ToInt32(data);
    }

    /// <summary>The received descriptor is the pipe's write end: bytes written to it come out of the read end.</summary>
    static void AssertIsWriteEndOf(int received, int[] pipeFds)
    {
        Assert.NotEqual(pipeFds[1], received);
        var msg = "through the passed fd"u8.ToArray();
        Assert.Equal(msg.Length, (int)write(received, msg, msg.Length));
        var buf = new byte[64];
        int n = (int)read(pipeFds[0], buf, buf.Length);
        Assert.Equal(msg, buf[..n]);
    }

    [Fact]
    public void DescriptorsTravelWithTheirBytes()
    {
        SocketObject[] pair = SocketObject.SocketPair();
        int[] p = Pipe();
        try
        {
            pair[0].SendAll("before"u8);
            Assert.Equal(4, SendFds(pair[0], "with"u8.ToArray(), p[1]));
            pair[0].SendAll("after"u8);
            // Stream order: the plain bytes first, then the message carrying the descriptor.
            Assert.Equal("before"u8.ToArray(), Loopback.ReadExactly(pair[1], 6));
            object?[] r = pair[1].RecvMsg(4, 64);
            Assert.Equal("with"u8.ToArray(), r[0]);
            Assert.Equal(0, r[2]);
            Assert.Null(r[3]);
            int got = ReceivedFd(r);
            AssertIsWriteEndOf(got, p);
            close(got);
            Assert.Equal("after"u8.ToArray(), pair[1].Recv(64));
        }
        finally
        {
            close(p[0]);
            close(p[1]);
            SelectHelpers.CloseAll(pair);
        }
    }

    /// <summary>
    /// close(2) is not shutdown(2): a TCP connection whose descriptor went to another holder (SCM_RIGHTS, a forked
    /// child) lives on after our socket closes, and the peer sees EOF only when the last descriptor goes. DotNetty's
    /// channel close shut the connection down first (PyTcpChannel.DoClose).
    /// </summary>
    [Fact]
    public void APassedConnectionOutlivesTheSendersClose()
    {
        SocketObject[] pair = SocketObject.SocketPair();
        var (client, server) = Loopback.Pair();
        int got = -1;
        try
        {
            SendFds(pair[0], "c"u8.ToArray(), server.Fileno());
            got = ReceivedFd(pair[1].RecvMsg(1, 64));
            server.Close();
            client.SetTimeout(0.2);
            var err = Assert.Throws<PySocketException>(() => client.Recv(16));
            Assert.Equal(PyErrorKind.Timeout, err.Kind);  // no EOF: the passed descriptor still holds it
            var msg = "from the passed fd"u8.ToArray();
            Assert.Equal(msg.Length, (int)write(got, msg, msg.Length));
            client.SetTimeout(10.0);
            Assert.Equal(msg, Loopback.ReadExactly(client, msg.Length));
            close(got);
            got = -1;
            Assert.Empty(client.Recv(16));  // EOF with the last descriptor
        }
        finally
        {
            if (got >= 0) close(got);
            SelectHelpers.CloseAll(pair);
            SelectHelpers.CloseAll(client, server);
        }
    }

    [Fact]
    public void BlockingRecvmsgWaitsForTheDescriptor()
    {
        SocketObject[] pair = SocketObject.SocketPair();
        int[] p = Pipe();
        try
        {
            var waiting = Task.Run(() => pair[1].RecvMsg(16, 64));
            SelectHelpers.SpinUntil(() => pair[1].Core.KernelWaiters > 0, "recvmsg to wait in the kernel");
            SendFds(pair[0], "x"u8.ToArray(), p[1]);
            int got = ReceivedFd(waiting.Result);
            AssertIsWriteEndOf(got, p);
            close(got);
        }
        finally
        {
            close(p[0]);
            close(p[1]);
            SelectHelpers.CloseAll(pair);
        }
    }

    [Fact]
    public void ModesAndTruncation()
    {
        SocketObject[] pair = SocketObject.SocketPair();
        int[] p = Pipe();
        try
        {
            pair[1].SetBlocking(false);
            Assert.Equal(Errno.EAGAIN, Assert.Throws<PySocketException>(() => pair[1].RecvMsg(16, 64)).Errno);
            pair[1].SetTimeout(0.05);
            Assert.Equal(PyErrorKind.Timeout, Assert.Throws<PySocketException>(() => pair[1].RecvMsg(16, 64)).Kind);
            // A control buffer too small for the item: the kernel drops the descriptor and says MSG_CTRUNC.
            SendFds(pair[0], "y"u8.ToArray(), p[1]);
            object?[] r = pair[1].RecvMsg(16, 1);
            Assert.Equal("y"u8.ToArray(), r[0]);
            Assert.Empty((object?[])r[1]!);
            Assert.Equal(MSG_CTRUNC, (int)r[2]! & MSG_CTRUNC);
            // Without a control buffer recvmsg is a recv.
            pair[0].SendAll("z"u8);
            r = pair[1].RecvMsg(16);
            Assert.Equal("z"u8.ToArray(), r[0]);
        }
        finally
        {
            close(p[0]);
            close(p[1]);
            SelectHelpers.CloseAll(pair);
        }
    }

    [Fact]
    public void TcpStillRefusesSolSocketControlData()
    {
        var (c, s) = Loopback.Pair();
        try
        {
            Assert.Equal(Errno.EINVAL, Assert.Throws<PySocketException>(() => SendFds(c, "x"u8.ToArray(), 0)).Errno);
        }
        finally
        {
            SelectHelpers.CloseAll(c, s);
        }
    }
}
