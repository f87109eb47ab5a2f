using System.Runtime.InteropServices;
using System.Text;
using Netty.PySocket.Errors;
using Netty.PySocket.Select;
using Netty.PySocket.Socket;
using Netty.PySocket.Tests.Select;
using static Netty.PySocket.Net.SocketConstants;

namespace Netty.PySocket.Tests.Socket;

/// <summary>
/// AF_UNIX stream sockets and socketpair: data, EOF, half-close, readiness, CPython's address shapes (str for
/// filesystem names, bytes for abstract ones, "" unnamed) and Linux's errors. Each test works in its own temp dir.
/// </summary>
[Collection(nameof(DescriptorNumbers))]
public sealed class UnixSocketTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("pysocket-unix-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    string PathFor(string name) => Path.Combine(dir, name);

    static PySocketException Raises(Action a) => Assert.Throws<PySocketException>(a);

    static SocketObject Unix() => new(AF_UNIX, SOCK_STREAM);

    static string Abstract(string tag) => $"\0pysocket-test-{Environment.ProcessId}-{tag}-{Guid.NewGuid():N}";

    /// <summary>A listener on <paramref name="address"/>, a client connected to it and the accepted server side.</summary>
    static (SocketObject Listener, SocketObject Client, SocketObject Server, object PeerOfServer) Connected(object address)
    {
        SocketObject l = Unix();
        l.Bind(address);
        l.Listen(4);
        SocketObject c = Unix();
        c.Connect(address);
        SocketObject s = l.AcceptSocket(out object peer);
        return (l, c, s, peer);
    }

    static byte[] ReadExactly(SocketObject s, int n)
    {
        var got = new List<byte>();
        while (got.Count < n)
        {
            byte[] chunk = s.Recv(n - got.Count);
            Assert.NotEmpty(chunk);
            got.AddRange(chunk);
        }
        return got.ToArray();
    }

    [Fact]
    public void EchoOverAFilesystemPath_NamesAreStrings()
    {
        string path = PathFor("echo.sock");
        var (l, c, s, peer) = Connected(path);
        try
        {
            Assert.True(File.Exists(path));
            c.SendAll("hello"u8);
            Assert.Equal("hello", Encoding.ASCII.GetString(ReadExactly(s, 5)));
            s.SendAll("world"u8);
            Assert.Equal("world", Encoding.ASCII.GetString(ReadExactly(c, 5)));
            Assert.Equal(path, l.GetSockName());
            Assert.Equal(path, s.GetSockName());
            Assert.Equal(path, c.GetPeerName());
            // The client never bound: unnamed, read back as "".
            Assert.Equal("", c.GetSockName());
            Assert.Equal("", s.GetPeerName());
            Assert.Equal("", peer);
            Assert.Equal(AF_UNIX, s.Family);
            Assert.Equal(SOCK_STREAM, s.Type);
        }
        finally
        {
            c.Close();
            s.Close();
            l.Close();
        }
        // close(2) leaves the socket file, as Linux does (unlinking it is the program's business).
        Assert.True(File.Exists(path));
    }

    [Fact]
    public void AbstractNamesAreBytes_BytesPathsWork()
    {
        string name = Abstract("abs");
        byte[] raw = Encoding.UTF8.GetBytes(name);
        var (l, c, s, _) = Connected(raw);
        try
        {
            Assert.Equal(raw, l.GetSockName());
            Assert.Equal(raw, c.GetPeerName());
            c.SendAll("x"u8);
            Assert.Equal("x"u8.ToArray(), ReadExactly(s, 1));
        }
        finally
        {
            c.Close();
            s.Close();
            l.Close();
        }
        // A str with a leading NUL is the same abstract name.
        SocketObject again = Unix();
        try
        {
            again.Bind(name);
            Assert.Equal(raw, again.GetSockName());
        }
        finally
        {
            again.Close();
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void APeerBoundToALongerNameIsAccepted(bool abstractListener)
    {
        // The accept buffer must hold any peer name, not just one as long as the listener's (a crash before).
        object listenAt = abstractListener ? Abstract("l") : PathFor("l");
        string clientName = PathFor(new string('c', 60));
        SocketObject l = Unix();
        SocketObject c = Unix();
        SocketObject? s = null;
        try
        {
            l.Bind(listenAt);
            l.Listen(1);
            c.Bind(clientName);
            c.Connect(listenAt);
            s = l.AcceptSocket(out object peer);
            Assert.Equal(clientName, peer);
            Assert.Equal(clientName, s.GetPeerName());
            c.SendAll("z"u8);
            Assert.Equal("z"u8.ToArray(), ReadExactly(s, 1));
        }
        finally
        {
            s?.Close();
            c.Close();
            l.Close();
        }
    }

    [Fact]
    public void ANameThatIsNotUtf8ComesBackAsItsBytes()
    {
        // The binding decodes these with os.fsdecode (surrogateescape), as CPython's PyUnicode_DecodeFSDefault.
        byte[] path = [.. Encoding.UTF8.GetBytes(PathFor("bad-")), 0xff, 0xfe];
        SocketObject s = Unix();
        try
        {
            s.Bind(path);
            Assert.Equal(path, s.GetSockName());
        }
        finally
        {
            s.Close();
            // .NET's directory walk cannot name this file: remove it by its bytes.
            Unlink([.. path, 0]);
        }
    }

    [DllImport("libc", EntryPoint = "unlink")]
    static extern int Unlink(byte[] nulTerminatedPath);

    [Fact]
    public void CloseReleasesTheDescriptorsOfEverySocketKind()
    {
        SocketObject[] streams = SocketObject.SocketPair();
        SocketObject[] datagrams = SocketObject.SocketPair(AF_UNIX, SOCK_DGRAM);
        string path = PathFor("leak.sock");
        var (l, c, s, _) = Connected(path);
        SocketObject[] all = [.. streams, .. datagrams, l, c, s];
        int[] fds = all.Select(x => x.Fileno()).ToArray();
        Assert.All(fds, fd => Assert.True(LibC.IsOpen(fd)));
        foreach (SocketObject x in all) x.Close();
        // Released, with room: close() waits only a bounded time for .NET's socket engine (KernelSyncTests).
        Assert.All(fds, fd => Assert.True(SpinWait.SpinUntil(() => !LibC.IsOpen(fd), TimeSpan.FromSeconds(5)), $"fd {fd} never released"));
    }

    [Fact]
    public void AddressErrors_AreCPythons()
    {
        SocketObject s = Unix();
        try
        {
            var type = Raises(() => s.Bind(new object[] { "x", 1 }));
            Assert.Equal(PyErrorKind.TypeError, type.Kind);
            Assert.Equal("a bytes-like object is required, not 'tuple'", type.Message);
            var tooLong = Raises(() => s.Bind(new string('x', 108)));
            Assert.Equal("AF_UNIX path too long", tooLong.Message);
            Assert.Null(tooLong.Errno);
            // 107 bytes plus the NUL fit sun_path; an abstract name may use all 108.
            Raises(() => s.Bind("\0" + new string('x', 108)));
        }
        finally
        {
            s.Close();
        }
    }

    [Fact]
    public void KernelErrors_EnoentEconnrefusedEaddrinuseEnotconnEisconn()
    {
        string path = PathFor("err.sock");
        SocketObject bound = Unix();
        SocketObject other = Unix();
        SocketObject client = Unix();
        try
        {
            Assert.Equal(Errno.ENOENT, Raises(() => client.Connect(PathFor("missing.sock"))).Errno);
            Assert.Equal(Errno.ENOENT, Raises(() => other.Bind(PathFor("no-such-dir/x.sock"))).Errno);
            Assert.Equal(Errno.ENOTCONN, Raises(() => client.GetPeerName()).Errno);
            bound.Bind(path);
            Assert.Equal(Errno.EADDRINUSE, Raises(() => other.Bind(path)).Errno);
            Assert.Equal(Errno.EINVAL, Raises(() => bound.Bind(PathFor("second.sock"))).Errno);
            // Bound but not listening.
            Assert.Equal(Errno.ECONNREFUSED, client.ConnectEx(path));
            bound.Listen(1);
            client.Connect(path);
            Assert.Equal(Errno.EISCONN, Raises(() => client.Connect(path)).Errno);
            Assert.Equal(Errno.EISCONN, Raises(() => client.SendTo("x"u8, 0, path)).Errno);
            // Listening on an unbound AF_UNIX socket: EINVAL from the kernel.
            Assert.Equal(Errno.EINVAL, Raises(() => other.Listen(1)).Errno);
        }
        finally
        {
            client.Close();
            other.Close();
            bound.Close();
        }
    }

    [Fact]
    public void CreationErrors()
    {
        Assert.Equal(Errno.EPROTONOSUPPORT, Raises(() => new SocketObject(AF_UNIX, SOCK_STREAM, IPPROTO_TCP)).Errno);
        Assert.Equal(Errno.EOPNOTSUPP, Raises(() => SocketObject.SocketPair(AF_INET)).Errno);
        Assert.Equal(Errno.ESOCKTNOSUPPORT, Raises(() => new SocketObject(AF_UNIX, SOCK_SEQPACKET)).Errno);
    }

    [Fact]
    public void Options_SocketLevelWork_TcpLevelIsEopnotsupp()
    {
        SocketObject[] pair = SocketObject.SocketPair();
        try
        {
            Assert.Equal(SOCK_STREAM, (int)pair[0].GetSockOpt(SOL_SOCKET, SO_TYPE));
            pair[0].SetSockOpt(SOL_SOCKET, SO_SNDBUF, 65536);
            Assert.True((int)pair[0].GetSockOpt(SOL_SOCKET, SO_SNDBUF) >= 65536);
            // struct ucred of the peer: this process.
            byte[] cred = (byte[])pair[0].GetSockOpt(SOL_SOCKET, SO_PEERCRED, 12);
            Assert.Equal(Environment.ProcessId, BitConverter.ToInt32(cred, 0));
            Assert.Equal(Errno.EOPNOTSUPP, Raises(() => pair[0].GetSockOpt(IPPROTO_TCP, TCP_NODELAY)).Errno);
            Assert.Equal(Errno.EOPNOTSUPP, Raises(() => pair[0].SetSockOpt(IPPROTO_TCP, TCP_NODELAY, 1)).Errno);
        }
        finally
        {
            pair[0].Close();
            pair[1].Close();
        }
    }

    [Fact]
    public void SocketPair_IsConnected_BothWays_EofAfterClose()
    {
        SocketObject[] pair = SocketObject.SocketPair();
        SocketObject a = pair[0], b = pair[1];
        try
        {
            Assert.Equal(AF_UNIX, a.Family);
            Assert.Equal("", a.GetSockName());
            Assert.Equal("", a.GetPeerName());
            byte[] big = new byte[1 << 20];
            new Random(7).NextBytes(big);
            var writer = new Thread(() => a.SendAll(big));
            writer.Start();
            Assert.Equal(big, ReadExactly(b, big.Length));
            Assert.True(writer.Join(TimeSpan.FromSeconds(30)));
            b.SendAll("back"u8);
            Assert.Equal("back"u8.ToArray(), ReadExactly(a, 4));
            a.Close();
            Assert.Empty(b.Recv(10));
        }
        finally
        {
            a.Close();
            b.Close();
        }
    }

    [Fact]
    public void Datagrams_KeepBoundaries_SenderNames()
    {
        string serverPath = PathFor("dgram-server");
        string clientPath = PathFor("dgram-client");
        var server = new SocketObject(AF_UNIX, SOCK_DGRAM);
        var client = new SocketObject(AF_UNIX, SOCK_DGRAM);
        var unnamed = new SocketObject(AF_UNIX, SOCK_DGRAM);
        try
        {
            server.Bind(serverPath);
            client.Bind(clientPath);
            Assert.Equal(5, client.SendTo("first"u8, 0, serverPath));
            client.SendTo("second"u8, 0, serverPath);
            object?[] got = server.RecvFrom(100);
            Assert.Equal("first"u8.ToArray(), got[0]);
            Assert.Equal(clientPath, got[1]);
            // Truncated to the buffer; the rest of that datagram is gone (boundaries kept).
            Assert.Equal("se"u8.ToArray(), server.Recv(2));
            // A sender without a name: the kernel gives no address, CPython None.
            unnamed.SendTo("anon"u8, 0, serverPath);
            got = server.RecvFrom(100);
            Assert.Equal("anon"u8.ToArray(), got[0]);
            Assert.Null(got[1]);
            Assert.Equal(serverPath, server.GetSockName());
            Assert.Equal(Errno.ENOTCONN, Raises(() => unnamed.GetPeerName()).Errno);
            client.Connect(serverPath);
            Assert.Equal(serverPath, client.GetPeerName());
            Assert.Equal(Errno.ENOENT, Raises(() => unnamed.SendTo("x"u8, 0, PathFor("dgram-nobody"))).Errno);
            // The file of a closed socket stays; nobody receives there.
            var gone = new SocketObject(AF_UNIX, SOCK_DGRAM);
            gone.Bind(PathFor("dgram-gone"));
            gone.Close();
            Assert.Equal(Errno.ECONNREFUSED, Raises(() => unnamed.SendTo("x"u8, 0, PathFor("dgram-gone"))).Errno);
            var nonBlocking = new SocketObject(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK);
            Assert.Equal(Errno.EAGAIN, Raises(() => nonBlocking.Recv(1)).Errno);
            nonBlocking.Close();
        }
        finally
        {
            server.Close();
            client.Close();
            unnamed.Close();
        }
    }

    [Fact]
    public void DatagramSocketPair()
    {
        SocketObject[] pair = SocketObject.SocketPair(AF_UNIX, SOCK_DGRAM);
        try
        {
            Assert.Equal(SOCK_DGRAM, pair[0].Type);
            pair[0].Send("one"u8);
            pair[0].Send("two"u8);
            Assert.Equal("one"u8.ToArray(), pair[1].Recv(100));
            Assert.Equal("two"u8.ToArray(), pair[1].Recv(100));
            var ready = SelectModule.Select([], new object?[] { pair[1] }, [], 10.0);
            Assert.Equal([pair[1]], ready.Writable);
        }
        finally
        {
            pair[0].Close();
            pair[1].Close();
        }
    }

    [Fact]
    public void SocketPair_NonBlockingFlag_RecvRaisesEagain()
    {
        SocketObject[] pair = SocketObject.SocketPair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK);
        try
        {
            Assert.Equal(0.0, pair[0].GetTimeout());
            Assert.Equal(Errno.EAGAIN, Raises(() => pair[0].Recv(1)).Errno);
        }
        finally
        {
            pair[0].Close();
            pair[1].Close();
        }
    }

    [Fact]
    public void HalfClose_ShutWrGivesEofAndTheReplyStillArrives()
    {
        SocketObject[] pair = SocketObject.SocketPair();
        SocketObject a = pair[0], b = pair[1];
        try
        {
            a.SendAll("request"u8);
            a.Shutdown(SHUT_WR);
            Assert.Equal("request"u8.ToArray(), ReadExactly(b, 7));
            Assert.Empty(b.Recv(10));
            b.SendAll("reply"u8);
            Assert.Equal("reply"u8.ToArray(), ReadExactly(a, 5));
        }
        finally
        {
            a.Close();
            b.Close();
        }
    }

    [Fact]
    public void SelectAndPoll_SeeReadabilityAndListenerReadiness()
    {
        string path = PathFor("sel.sock");
        SocketObject l = Unix();
        SocketObject c = Unix();
        SocketObject? s = null;
        try
        {
            l.Bind(path);
            l.Listen(1);
            c.Connect(path);
            // The pending connection makes the listener readable (select waits for the event, up to 10 s).
            var ready = SelectModule.Select(new object?[] { l }, [], [], 10.0);
            Assert.Equal([l], ready.Readable);
            s = l.AcceptSocket(out _);
            var p = SelectModule.Poll();
            p.Register(s, PollEvents.POLLIN);
            Assert.Empty(p.Poll(0));
            c.SendAll("ping"u8);
            Assert.Equal([(s.Fileno(), (int)PollEvents.POLLIN)], p.Poll(10_000));
            var writable = SelectModule.Select([], new object?[] { c }, [], 10.0);
            Assert.Equal([c], writable.Writable);
        }
        finally
        {
            s?.Close();
            c.Close();
            l.Close();
        }
    }

    [Fact]
    public void CloseWakesABlockedRecv()
    {
        SocketObject[] pair = SocketObject.SocketPair();
        PySocketException? caught = null;
        using var started = new ManualResetEventSlim();
        var t = new Thread(() =>
        {
            started.Set();
            try
            {
                pair[1].Recv(10);
            }
            catch (PySocketException e)
            {
                caught = e;
            }
        });
        t.Start();
        started.Wait();
        pair[1].Close();
        Assert.True(t.Join(TimeSpan.FromSeconds(10)), "blocked recv was not woken");
        Assert.Equal(Errno.EBADF, caught?.Errno);
        pair[0].Close();
    }

    [Fact]
    public void BlockingConnectToAFullBacklog_CompletesOnceTheListenerAccepts()
    {
        string path = PathFor("wait.sock");
        SocketObject l = Unix();
        var clients = new List<SocketObject>();
        var accepted = new List<SocketObject>();
        SocketObject waiting = Unix();
        try
        {
            l.Bind(path);
            l.Listen(0);
            // First our listener's queue fills (backlog 1; then it stops taking connections from the kernel):
            // the listener turns readable when it has.
            var first = Unix();
            clients.Add(first);
            first.Connect(path);
            Assert.Equal([l], SelectModule.Select(new object?[] { l }, [], [], 10.0).Readable);
            // Then the kernel's own backlog.
            int errno = 0;
            for (int i = 0; i < 64 && errno == 0; i++)
            {
                var c = Unix();
                clients.Add(c);
                c.SetTimeout(0.0);
                errno = c.ConnectEx(path);
            }
            Assert.Equal(Errno.EAGAIN, errno);
            // Blocking mode: the kernel would sleep until there is room; so do we.
            int result = -1;
            var t = new Thread(() => result = waiting.ConnectEx(path));
            t.Start();
            Assert.False(t.Join(TimeSpan.FromMilliseconds(200)), "connect returned while the backlog was full");
            // Accepting makes room (our listener then takes the next kernel connection, and so on).
            for (int i = 0; i < clients.Count + 1 && t.IsAlive; i++)
            {
                accepted.Add(l.AcceptSocket(out _));
                t.Join(TimeSpan.FromMilliseconds(100));
            }
            Assert.True(t.Join(TimeSpan.FromSeconds(20)), "blocking connect never completed");
            Assert.Equal(0, result);
            Assert.Equal(path, waiting.GetPeerName());
        }
        finally
        {
            waiting.Close();
            foreach (SocketObject c in clients) c.Close();
            foreach (SocketObject a in accepted) a.Close();
            l.Close();
        }
    }

    [Fact]
    public void TimeoutModeConnectToAFullBacklog_RaisesEagainAsCPython()
    {
        string path = PathFor("full.sock");
        SocketObject l = Unix();
        var clients = new List<SocketObject>();
        try
        {
            l.Bind(path);
            l.Listen(0);
            // Linux queues backlog+1 connections; the listener's channel may already have accepted some, so
            // keep connecting until the kernel says EAGAIN (bounded).
            int errno = 0;
            for (int i = 0; i < 64 && errno == 0; i++)
            {
                var c = Unix();
                clients.Add(c);
                c.SetTimeout(5.0);
                errno = c.ConnectEx(path);
            }
            // The accept queue of our listener holds at most its backlog, so the kernel's queue fills up.
            Assert.Equal(Errno.EAGAIN, errno);
        }
        finally
        {
            foreach (SocketObject c in clients) c.Close();
            l.Close();
        }
    }
}
