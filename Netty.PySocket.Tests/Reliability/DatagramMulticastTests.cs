using System.Net;
using Netty.PySocket.Errors;
using Netty.PySocket.Socket;
using static Netty.PySocket.Net.SocketConstants;

namespace Netty.PySocket.Tests.Reliability;

/// <summary>
/// Counterpart of Netty's DatagramMulticastTest: a receiver joins a group on the loopback interface and gets what a
/// sender sends to the group; after leaving it gets nothing more. IPv4 only: this machine's loopback has no IPv6
/// multicast route (sendto ff12::/16 is ENETUNREACH natively too).
/// </summary>
public class DatagramMulticastTests
{
    static readonly byte[] Group = IPAddress.Parse("239.255.42.99").GetAddressBytes();
    static readonly byte[] Loopback = IPAddress.Loopback.GetAddressBytes();

    static byte[] Mreq() => [.. Group, .. Loopback]; // struct ip_mreq { imr_multiaddr; imr_interface; }

    [Fact]
    public void JoinedReceiverGetsGroupDatagramsAndNothingAfterLeaving()
    {
        var receiver = new SocketObject(AF_INET, SOCK_DGRAM);
        var sender = new SocketObject(AF_INET, SOCK_DGRAM);
        try
        {
            receiver.SetSockOpt(SOL_SOCKET, SO_REUSEADDR, 1);
            receiver.Bind(new object[] { "0.0.0.0", 0 });
            int port = (int)((object[])receiver.GetSockName())[1];
            receiver.SetSockOpt(IPPROTO_IP, IP_ADD_MEMBERSHIP, Mreq());
            sender.SetSockOpt(IPPROTO_IP, IP_MULTICAST_IF, Loopback);
            sender.SetSockOpt(IPPROTO_IP, IP_MULTICAST_LOOP, 1);
            receiver.SetTimeout(10);

            var group = new object[] { "239.255.42.99", port };
            for (int i = 0; i < 5; i++)
            {
                byte[] payload = [(byte)'m', (byte)i];
                Assert.Equal(2, sender.SendTo(payload, 0, group));
                object?[] got = receiver.RecvFrom(64);
                Assert.Equal(payload, (byte[])got[0]!);
                Assert.Equal("127.0.0.1", ((object[])got[1]!)[0]);
            }

            receiver.SetSockOpt(IPPROTO_IP, IP_DROP_MEMBERSHIP, Mreq());
            sender.SendTo("after"u8, 0, group);
            // Nothing may arrive once the group is left: the wait is the assertion (a datagram would come in µs).
            receiver.SetTimeout(0.3);
            var e = Assert.Throws<PySocketException>(() => receiver.RecvFrom(64));
            Assert.Equal(PyErrorKind.Timeout, e.Kind);

            // Leaving twice is the kernel's EADDRNOTAVAIL, as CPython reports it.
            var again = Assert.Throws<PySocketException>(() => receiver.SetSockOpt(IPPROTO_IP, IP_DROP_MEMBERSHIP, Mreq()));
            Assert.Equal(Errno.EADDRNOTAVAIL, again.Errno);
        }
        finally
        {
            receiver.Close();
            sender.Close();
        }
    }
}
