using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Netty.PySocket.Errors;
using Netty.PySocket.Net;
using Netty.PySocket.Socket;
using Netty.PySocket.Ssl;
using Netty.PySocket.Tests.Net;
using Netty.PySocket.Tests.Ssl;

namespace Netty.PySocket.Tests.Reliability;

/// <summary>
/// A TLS peer that misbehaves (issue 8 faults; Netty's SocketSslEchoTest/SocketSslGreetingTest cover the good path):
/// garbage, a plain-text reply, a record cut short, nothing at all, or a reset. Each handshake fails promptly with
/// exactly CPython's exception, compared live against python3 running the same peer.
/// </summary>
public class TlsFaultTests
{
    static readonly (string Name, byte[] Reply, bool Reset)[] Peers =
    [
        ("garbage", Enumerable.Range(0, 1024).Select(i => (byte)i).ToArray(), false),
        ("plain", "HTTP/1.1 400 Bad Request\r\n\r\n"u8.ToArray(), false),
        ("truncated", [0x16, 0x03, 0x03, 0x00, 0x50, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2], false),
        ("silent", [], false),
        ("truncated-then-reset", [0x16, 0x03, 0x03, 0x00, 0x50, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2], true),
    ];

    // The same peers against CPython's ssl module: one line "name|ExceptionClass|args" per peer.
    const string CPythonClient = """
import socket, ssl, struct, sys, threading
for name, reply, reset in eval(sys.argv[1]):
    l = socket.socket(); l.bind(('127.0.0.1', 0)); l.listen(1)
    def serve():
        c, _ = l.accept(); c.recv(4096); c.sendall(reply)
        if reset: c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
        c.close()
    t = threading.Thread(target=serve); t.start()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
    s = socket.create_connection(l.getsockname(), timeout=10)
    try:
        ctx.wrap_socket(s, server_hostname='x'); print(name + '|ok|', flush=True)
    except Exception as e:
        print('%s|%s|%r' % (name, type(e).__name__, e.args), flush=True)
    t.join(); s.close(); l.close()
""";

    [Fact]
    public void HandshakeAgainstABrokenPeerFailsAsCPython()
    {
        string arg = "[" + string.Join(", ", Peers.Select(p =>
            $"({CPythonOracle.Repr(p.Name)}, {CPythonOracle.Repr(p.Reply)}, {(p.Reset ? "True" : "False")})")) + "]";
        var expected = SslTestKit.Run("python3", ["-c", CPythonClient, arg])
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).ToDictionary(l => l.Split('|')[0]);
        foreach (var (name, reply, reset) in Peers)
        {
            Assert.Equal(expected[name], name + "|" + OursAgainst(reply, reset));
            ReliabilityFigures.Add("faults injected: TLS peer misbehaving in the handshake");
        }
    }

    static string OursAgainst(byte[] reply, bool reset)
    {
        using var listener = new System.Net.Sockets.Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        Task peer = Task.Run(() =>
        {
            using var c = listener.Accept();
            c.Receive(new byte[4096]);
            c.Send(reply);
            if (reset) c.LingerState = new LingerOption(true, 0);
            c.Close();
        });
        var ctx = new SslContext(SslConstants.PROTOCOL_TLS_CLIENT) { CheckHostname = false, VerifyMode = SslConstants.CERT_NONE };
        var s = new SocketObject();
        s.SetTimeout(10);
        s.Connect(new object[] { "127.0.0.1", ((IPEndPoint)listener.LocalEndPoint!).Port });
        try
        {
            ctx.WrapSocket(s, serverHostname: "x").Close();
            return "ok|";
        }
        catch (PySocketException e)
        {
            return e.PythonTypeName + "|" + CPythonOracle.Repr(e.PythonArgs);
        }
        finally
        {
            s.Close();
            Assert.True(peer.Wait(TimeSpan.FromSeconds(10)), "peer did not finish");
        }
    }

    /// <summary>A stream that, once armed, passes on only half of the next write and then ends the connection.</summary>
    sealed class CuttingStream(NetworkStream inner, System.Net.Sockets.Socket socket) : Stream
    {
        public volatile bool Armed;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (!Armed)
            {
                inner.Write(buffer, offset, count);
                return;
            }
            inner.Write(buffer, offset, count / 2);
            socket.Shutdown(SocketShutdown.Send);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer, offset, count);
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.ToArray(), 0, buffer.Length);
            return ValueTask.CompletedTask;
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void RecordCutShortAfterTheHandshakeIsAnEofErrorNotAHang(bool suppressRaggedEofs)
    {
        // A .NET SslStream server whose first application record is cut in half, then FIN.
        using var listener = new System.Net.Sockets.Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var cert = X509Certificate2.CreateFromPemFile(Certs.P("server.pem"), Certs.P("server.key"));
        using var handshook = new ManualResetEventSlim();
        Task peer = Task.Run(() =>
        {
            using var c = listener.Accept();
            var cutting = new CuttingStream(new NetworkStream(c), c);
            using var tls = new SslStream(cutting);
            tls.AuthenticateAsServer(cert);
            var one = new byte[1];
            tls.ReadExactly(one); // the client's byte: the handshake is over on both sides
            cutting.Armed = true;
            tls.Write(new byte[4000]);
            c.Receive(new byte[1]); // until our client closes
        });
        var ctx = new SslContext(SslConstants.PROTOCOL_TLS_CLIENT) { CheckHostname = false, VerifyMode = SslConstants.CERT_NONE };
        var s = new SocketObject();
        s.SetTimeout(10);
        s.Connect(new object[] { "127.0.0.1", ((IPEndPoint)listener.LocalEndPoint!).Port });
        SslSocket tlsClient = ctx.WrapSocket(s, serverSide: false, doHandshakeOnConnect: true, suppressRaggedEofs, "x");
        try
        {
            tlsClient.SendAll("x"u8);
            // Half a record then EOF: CPython's _ssl raises SSLEOFError whatever suppress_ragged_eofs says (ssl.py's
            // SSLSocket.read turns it into b'' when suppressing; this C# layer is _ssl plus that rule).
            var e = Record.Exception(() =>
            {
                byte[] got = tlsClient.Recv(8192);
                Assert.True(suppressRaggedEofs, "a cut record read as data");
                Assert.Empty(got);
            });
            if (e is not null)
            {
                var p = Assert.IsType<PySocketException>(e);
                Assert.Equal(PyErrorKind.SSLEOFError, p.Kind);
            }
            ReliabilityFigures.Add("faults injected: TLS record cut short after the handshake");
        }
        finally
        {
            tlsClient.Close();
            s.Close();
            Assert.True(peer.Wait(TimeSpan.FromSeconds(10)), "peer did not finish");
        }
    }
}
