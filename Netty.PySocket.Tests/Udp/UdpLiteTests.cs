using Netty.PySocket.Socket;
using static Netty.PySocket.Net.SocketConstants;

namespace Netty.PySocket.Tests.Udp;

/// <summary>UDP-Lite (IPPROTO_UDPLITE): the same datagram socket on another kernel protocol, as CPython offers it.</summary>
public class UdpLiteTests
{
    [Theory]
    [InlineData(AF_INET, "127.0.0.1")]
    [InlineData(AF_INET6, "::1")]
    public void DatagramsAndChecksumCoverage(int family, string host)
    {
        var a = new SocketObject(family, SOCK_DGRAM, IPPROTO_UDPLITE);
        var b = new SocketObject(family, SOCK_DGRAM, IPPROTO_UDPLITE);
        try
        {
            Assert.Equal(IPPROTO_UDPLITE, a.Proto);
            a.Bind(new object[] { host, 0 });
            a.SetTimeout(5);
            a.SetSockOpt(IPPROTO_UDPLITE, UDPLITE_SEND_CSCOV, 20);
            Assert.Equal(20, a.GetSockOpt(IPPROTO_UDPLITE, UDPLITE_SEND_CSCOV));
            b.SendTo("lite"u8, 0, a.GetSockName());
            object?[] got = a.RecvFrom(16);
            Assert.Equal("lite"u8.ToArray(), (byte[])got[0]!);
            Assert.Equal(((object[])b.GetSockName())[1], ((object[])got[1]!)[1]);
        }
        finally
        {
            a.Close();
            b.Close();
        }
    }
}
