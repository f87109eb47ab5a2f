using Netty.PySocket.Select;
using Netty.PySocket.Socket;
using static Netty.PySocket.Net.SocketConstants;
using static Netty.PySocket.Select.PollEvents;

namespace Netty.PySocket.Tests.Udp;

/// <summary>
/// A UDP server driven by a poll object (socketserver's shape) must never go deaf: the zero-byte peek that wakes
/// watchers has to be re-armed even when the datagram that completed it was read before its completion ran. Before
/// the fix, 1,400-2,300 request/reply rounds through the binding lost every later datagram.
/// </summary>
[Collection("DescriptorNumbers")]
public class UdpWatcherTests
{
    [Fact]
    public void PollDrivenUdpServerAnswersEveryRequest()
    {
        const int Rounds = 5000;
        var server = UdpKit.Bound();
        var poll = new PollObject();
        poll.Register(server.Fileno(), POLLIN);
        int served = 0;
        using var stop = new CancellationTokenSource();
        var loop = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (poll.Poll(500).Count == 0) continue;
                object?[] got = server.RecvFrom(64);
                server.SendTo((byte[])got[0]!, 0, got[1]);
                served++;
            }
        });
        loop.Start();
        try
        {
            var client = UdpKit.Bound();
            client.SetTimeout(5);
            for (int i = 0; i < Rounds; i++)
            {
                byte[] msg = BitConverter.GetBytes(i);
                client.SendTo(msg, 0, UdpKit.Addr(AF_INET, UdpKit.Port(server)));
                var ready = SelectModule.Select([client], [], [], 5.0);
                Assert.True(ready.Readable.Count == 1, $"round {i}: no reply within 5 s (server answered {served})");
                Assert.Equal(msg, client.Recv(64));
            }
            client.Close();
        }
        finally
        {
            stop.Cancel();
            Assert.True(loop.Join(TimeSpan.FromSeconds(5)));
            server.Close();
        }
    }
}
