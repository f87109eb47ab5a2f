using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Netty.PySocket.Tests.Ssl;

/// <summary>Raw SslStream over System.Net sockets, 64 MiB one way: the baseline the TLS bulk test is compared with (printed, not asserted).</summary>
public class ThroughputComparison
{
    [Fact]
    public async Task RawSslStreamBaseline()
    {
        var cert = X509Certificate2.CreateFromPemFile(Certs.P("server.pem"), Certs.P("server.key"));
        using var l = new System.Net.Sockets.Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        l.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        l.Listen(1);
        using var c = new System.Net.Sockets.Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await c.ConnectAsync(l.LocalEndPoint!);
        using System.Net.Sockets.Socket s = await l.AcceptAsync();
        using var server = new SslStream(new NetworkStream(s, true));
        using var client = new SslStream(new NetworkStream(c, true), false, (_, _, _, _) => true);
        await Task.WhenAll(server.AuthenticateAsServerAsync(cert), client.AuthenticateAsClientAsync("localhost"));
        const int size = 64 * 1024 * 1024;
        byte[] data = new byte[64 * 1024];
        var sw = Stopwatch.StartNew();
        Task send = Task.Run(async () =>
        {
            for (int sent = 0; sent < size; sent += data.Length) await client.WriteAsync(data);
        });
        var buf = new byte[256 * 1024];
        long got = 0;
        while (got < size) got += await server.ReadAsync(buf);
        await send;
        Console.WriteLine($"raw SslStream 64 MiB: {size / sw.Elapsed.TotalSeconds / 1e6:F0} MB/s");
    }
}
