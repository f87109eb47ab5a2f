using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Netty.PySocket.Errors;
using Netty.PySocket.Select;
using Netty.PySocket.Socket;
using Netty.PySocket.Ssl;
using static Netty.PySocket.Select.PollEvents;
using static Netty.PySocket.Tests.Ssl.SslTestKit;

namespace Netty.PySocket.Tests.Select;

/// <summary>
/// select/poll/epoll on a TLS socket: readable means recv would not block, i.e. decrypted application data (or the
/// end of the TLS stream, or the handshake's end after SSLWantReadError) is there — never raw ciphertext. This is
/// the doc's addFirst-vs-addLast question decided: readiness is computed behind the TLS handler (design/select.md).
/// </summary>
[Collection(nameof(DescriptorNumbers))]
public class TlsReadinessTests
{
    public enum Api
    {
        Select,
        Poll,
        Epoll,
    }

    /// <summary>Our TLS server facing a System.Net SslStream client whose records we can hold back and send in pieces.</summary>
    [Theory]
    [InlineData(Api.Select)]
    [InlineData(Api.Poll)]
    [InlineData(Api.Epoll)]
    public void HalfARecordIsNotReadableTheWholeRecordIs(Api api)
    {
        SocketObject l = Listen();
        var raw = new System.Net.Sockets.Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        SslSocket? server = null;
        try
        {
            raw.Connect("127.0.0.1", Port(l));
            SocketObject accepted = l.AcceptSocket(out _);
            server = ServerContext().WrapSocket(accepted, serverSide: true, doHandshakeOnConnect: false);
            var holding = new HoldingStream(new NetworkStream(raw, ownsSocket: false));
            using var peer = new SslStream(holding, leaveInnerStreamOpen: true);
            SslSocket srv = server;
            Task handshake = Task.Run(srv.DoHandshake);
            peer.AuthenticateAsClient(new SslClientAuthenticationOptions
            {
                TargetHost = "localhost",
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            });
            handshake.GetAwaiter().GetResult();
            int fd = server.Fileno();
            Assert.False(Readable(api, fd, 0.2), "no application data yet");

            holding.Hold = true;
            peer.Write("hello"u8);
            peer.Flush();
            byte[] record = holding.Take();
            Assert.Equal(0x17, record[0]); // one TLS application_data record
            Assert.Equal(record.Length - 5, (record[3] << 8) | record[4]);

            int half = record.Length / 2;
            raw.Send(record.AsSpan(0, half));
            WaitUntilTheProcessHasRead(fd);
            // The bytes are with the TLS handler; a readiness that saw raw bytes (addFirst) would answer readable here.
            Assert.False(Readable(api, fd, 0), "half a record: recv would block");
            Assert.False(Readable(api, fd, 0.3), "half a record: recv would block");
            server.SetBlocking(false);
            Assert.Equal(PyErrorKind.SSLWantReadError, Assert.Throws<PySocketException>(() => srv.Recv(10)).Kind);

            raw.Send(record.AsSpan(half));
            Assert.True(Readable(api, fd, 10), "the whole record arrived");
            Assert.Equal("hello"u8.ToArray(), server.Recv(10));
            Assert.False(Readable(api, fd, 0), "everything was read");
        }
        finally
        {
            server?.Close();
            raw.Dispose();
            l.Close();
        }
    }

    /// <summary>Both ends ours and non-blocking: SSLWantReadError -> wait for readable -> retry makes progress until done.</summary>
    [Theory]
    [InlineData(Api.Select)]
    [InlineData(Api.Poll)]
    [InlineData(Api.Epoll)]
    public void NonBlockingHandshakeProgressesThroughReadiness(Api api)
    {
        var (client, server) = NonBlockingPair();
        try
        {
            var pending = new List<SslSocket> { client, server };
            int rounds = 0;
            while (pending.Count > 0)
            {
                Assert.True(++rounds <= 50, "handshake made no progress");
                foreach (SslSocket s in pending.ToArray())
                {
                    try
                    {
                        s.DoHandshake();
                        pending.Remove(s);
                    }
                    catch (PySocketException e) when (e.Kind == PyErrorKind.SSLWantReadError)
                    {
                    }
                }
                if (pending.Count == 0) break;
                // Every pending side raised SSLWantReadError: one of them must become readable (no sleep, no spin).
                Assert.NotEmpty(ReadableOf(api, pending.Select(s => s.Fileno()).ToArray(), 10));
            }
            Assert.Equal("TLSv1.3", client.Version());

            // Handshake seen by do_handshake: nothing is readable until application data comes.
            Assert.Empty(ReadableOf(api, [client.Fileno(), server.Fileno()], 0.2));
            Assert.Equal(5, server.Send("hello"u8));
            Assert.Equal([client.Fileno()], ReadableOf(api, [client.Fileno(), server.Fileno()], 10));
            Assert.Equal("hello"u8.ToArray(), client.Recv(10)); // readable: no SSLWantReadError
        }
        finally
        {
            client.Close();
            server.Close();
        }
    }

    /// <summary>The peer's close_notify is the end of the TLS stream: readable, and recv returns b"" without blocking.</summary>
    [Theory]
    [InlineData(Api.Select)]
    [InlineData(Api.Poll)]
    [InlineData(Api.Epoll)]
    public void CloseNotifyIsReadable(Api api)
    {
        var (client, server) = NonBlockingPair();
        try
        {
            Handshake(client, server);
            Assert.False(Readable(api, client.Fileno(), 0));
            server.SetBlocking(true);
            client.SetBlocking(true);
            Task<SocketObject> unwrap = Task.Run(server.Unwrap); // sends close_notify, waits for ours
            Assert.True(Readable(api, client.Fileno(), 10));
            client.SetBlocking(false);
            Assert.Empty(client.Recv(10));
            client.Unwrap();
            unwrap.GetAwaiter().GetResult().Close();
        }
        finally
        {
            client.Close();
            server.Close();
        }
    }

    static (SslSocket Client, SslSocket Server) NonBlockingPair()
    {
        SocketObject l = Listen();
        try
        {
            SocketObject c = Connect(Port(l));
            SocketObject s = l.AcceptSocket(out _);
            SslSocket server = ServerContext().WrapSocket(s, serverSide: true, doHandshakeOnConnect: false);
            SslSocket client = ClientContext().WrapSocket(c, serverHostname: "localhost", doHandshakeOnConnect: false);
            client.SetBlocking(false);
            server.SetBlocking(false);
            return (client, server);
        }
        finally
        {
            l.Close();
        }
    }

    static void Handshake(SslSocket client, SslSocket server)
    {
        client.SetBlocking(true);
        server.SetBlocking(true);
        Task t = Task.Run(server.DoHandshake);
        client.DoHandshake();
        t.GetAwaiter().GetResult();
        client.SetBlocking(false);
        server.SetBlocking(false);
    }

    static bool Readable(Api api, int fd, double timeoutSeconds) => ReadableOf(api, [fd], timeoutSeconds).Length == 1;

    /// <summary>The descriptors of <paramref name="fds"/> the API reports readable (POLLIN) within the timeout.</summary>
    static int[] ReadableOf(Api api, int[] fds, double timeoutSeconds)
    {
        switch (api)
        {
            case Api.Select:
                int[] positions = SelectModule.SelectFds(fds, [], [], timeoutSeconds).Readable;
                return positions.Select(i => fds[i]).ToArray();
            case Api.Poll:
                PollObject p = SelectModule.Poll();
                foreach (int fd in fds) p.Register(fd, POLLIN);
                return p.Poll((int)(timeoutSeconds * 1000)).Where(r => (r.Events & POLLIN) != 0).Select(r => r.Fd).ToArray();
            default:
                using (EpollObject ep = SelectModule.Epoll())
                {
                    foreach (int fd in fds) ep.Register(fd, EPOLLIN);
                    return ep.Poll(timeoutSeconds).Where(r => (r.Events & EPOLLIN) != 0).Select(r => r.Fd).ToArray();
                }
        }
    }

    /// <summary>Waits (bounded, yielding) until the kernel holds no unread bytes for <paramref name="fd"/>: our event loop has read them.</summary>
    static void WaitUntilTheProcessHasRead(int fd)
    {
        var sw = Stopwatch.StartNew();
        int queued;
        while (true)
        {
            Assert.Equal(0, Ioctl(fd, FIONREAD, out queued));
            if (queued == 0) return;
            if (sw.Elapsed > TimeSpan.FromSeconds(10)) throw new TimeoutException("the event loop never read the bytes");
            Thread.Yield();
        }
    }

    const nuint FIONREAD = 0x541B;

    [DllImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    static extern int Ioctl(int fd, nuint request, out int arg);

    /// <summary>A stream whose writes, while <see cref="Hold"/> is set, are kept instead of sent.</summary>
    sealed class HoldingStream(Stream inner) : Stream
    {
        readonly MemoryStream held = new();

        public bool Hold { get; set; }

        public byte[] Take()
        {
            byte[] b = held.ToArray();
            held.SetLength(0);
            return b;
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (Hold) held.Write(buffer);
            else inner.Write(buffer);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!Hold) return inner.WriteAsync(buffer, cancellationToken);
            held.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Flush()
        {
            if (!Hold) inner.Flush();
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
