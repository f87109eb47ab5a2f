using Netty.PySocket.Errors;
using Netty.PySocket.Socket;
using Netty.PySocket.Tests.Select;
using static Netty.PySocket.Net.SocketConstants;

namespace Netty.PySocket.Tests.Socket;

/// <summary>send/sendall with MSG_OOB (TCP urgent data, as ftplib's abort() uses it): SocketCore.Urgent.</summary>
public class UrgentDataTests
{
    static readonly byte[] Abort = "ABOR\r\n"u8.ToArray();

    [Fact]
    public void SendAllOobArrivesInlineWhenThePeerAsksForIt()
    {
        var (c, s) = Loopback.Pair();
        try
        {
            s.SetSockOpt(SOL_SOCKET, SO_OOBINLINE, (object)1);
            c.SendAll("RETR x\r\n"u8);
            c.SendAll(Abort, MSG_OOB);
            Assert.Equal("RETR x\r\nABOR\r\n"u8.ToArray(), Loopback.ReadExactly(s, 14));
        }
        finally
        {
            SelectHelpers.CloseAll(c, s);
        }
    }

    [Fact]
    public void TheUrgentByteLeavesTheStreamWithoutOobInline()
    {
        // Linux keeps the last byte of an urgent send out of band: a plain recv stops before it. A send that
        // ignored MSG_OOB would deliver all six bytes in the stream.
        var (c, s) = Loopback.Pair();
        try
        {
            Assert.Equal(Abort.Length, c.Send(Abort, MSG_OOB));
            Assert.Equal("ABOR\r"u8.ToArray(), Loopback.ReadExactly(s, 5));
            s.SetBlocking(false);
            var e = Assert.Throws<PySocketException>(() => s.Recv(16));
            Assert.Equal(Errno.EAGAIN, e.Errno);
        }
        finally
        {
            SelectHelpers.CloseAll(c, s);
        }
    }

    [Fact]
    public void OobOnADatagramSocketIsNotSupported()
    {
        var u = new SocketObject(AF_INET, SOCK_DGRAM);
        try
        {
            u.Connect(new object[] { "127.0.0.1", 9 });
            var e = Assert.Throws<PySocketException>(() => u.Send(Abort, MSG_OOB));
            Assert.Equal(Errno.EOPNOTSUPP, e.Errno);
        }
        finally
        {
            u.Close();
        }
    }
}
