using CsCheck;
using Netty.PySocket.Errors;
using Netty.PySocket.Select;
using Netty.PySocket.Socket;
using Netty.PySocket.Ssl;
using Netty.PySocket.Tests.Socket;
using Netty.PySocket.Tests.Ssl;
using static Netty.PySocket.Net.SocketConstants;

namespace Netty.PySocket.Tests.Reliability;

/// <summary>
/// Issue 8 bad input, everywhere: random argument values (CsCheck, fixed seed) thrown at the public methods of
/// SocketObject, SelectModule/PollObject/EpollObject and SslContext/SslSocket. Each call must return or raise
/// PySocketException of a kind that method can raise; never another exception type, never past a deadline; and when
/// the call did not end the connection, the socket still echoes afterwards. (Outcomes are compared with CPython in
/// <see cref="BadInputVersusCPythonTests"/>.)
/// </summary>
public class ApiFuzzTests
{
    static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    static readonly PyErrorKind[] SocketKinds = [PyErrorKind.OSError, PyErrorKind.Timeout, PyErrorKind.GaiError, PyErrorKind.TypeError, PyErrorKind.ValueError, PyErrorKind.OverflowError];
    static readonly PyErrorKind[] SelectKinds = [PyErrorKind.OSError, PyErrorKind.TypeError, PyErrorKind.ValueError, PyErrorKind.OverflowError, PyErrorKind.KeyError];
    static readonly PyErrorKind[] SslKinds = [.. SocketKinds, PyErrorKind.SSLError, PyErrorKind.SSLZeroReturnError, PyErrorKind.SSLWantReadError, PyErrorKind.SSLWantWriteError, PyErrorKind.SSLSyscallError, PyErrorKind.SSLEOFError, PyErrorKind.SSLCertVerificationError, PyErrorKind.KeyError, PyErrorKind.NotImplementedError];

    /// <summary>Runs one call with a deadline; fails on a hang or a non-Python exception; returns the Python error, if any.</summary>
    internal static PySocketException? Call(string what, Action call, PyErrorKind[] kinds)
    {
        ReliabilityFigures.Add("bad input: random calls (no oracle)");
        var run = Task.Run<Exception?>(() =>
        {
            try
            {
                call();
                return null;
            }
            catch (Exception e)
            {
                return e;
            }
        });
        Assert.True(run.Wait(Deadline), $"{what}: no answer within {Deadline.TotalSeconds} s");
        switch (run.Result)
        {
            case null:
                return null;
            case PySocketException p:
                Assert.True(kinds.Contains(p.Kind), $"{what}: {p.Kind} is not among the errors it can raise ({p})");
                return p;
            case var other:
                Assert.Fail($"{what}: a .NET exception leaked: {other}");
                return null;
        }
    }

    sealed record Op(string Name, Action<SocketObject> Run, bool MayEndConnection = false)
    {
        public override string ToString() => Name;
    }

    static string L(object? v) => PyValues.Literal(v);

    static readonly Gen<int> AnyInt = Gen.Frequency((3, Gen.Int[-5, 70000]), (1, Gen.OneOf(int.MinValue, int.MaxValue, -1, 0)));
    static readonly Gen<int> AnyFlags = Gen.OneOf(0, MSG_PEEK, MSG_DONTWAIT, MSG_OOB, MSG_WAITALL, MSG_TRUNC, -1, int.MaxValue);
    static readonly Gen<byte[]> Data = Gen.Byte.Array[0, 2048];
    static readonly Gen<double?> Timeout = Gen.OneOf<double?>(null, 0.0, 0.01, -1, double.NaN, double.PositiveInfinity, 1e300, -0.0);

    static readonly Gen<Op> SocketOps = Gen.OneOf(
        PyValues.Any.Select(v => new Op($"bind({L(v)})", s => s.Bind(v))),
        PyValues.Any.Select(v => new Op($"connect({L(v)})", s => s.Connect(v), true)),
        PyValues.Any.Select(v => new Op($"connect_ex({L(v)})", s => s.ConnectEx(v), true)),
        AnyInt.Select(n => new Op($"listen({n})", s => s.Listen(n))),
        Gen.Select(Data, AnyFlags).Select((d, f) => new Op($"send({d.Length} bytes, {f})", s => s.Send(d, f))),
        Gen.Select(Data, AnyFlags).Select((d, f) => new Op($"sendall({d.Length} bytes, {f})", s => s.SendAll(d, f))),
        Gen.Select(Data, AnyFlags, PyValues.Any).Select((d, f, a) => new Op($"sendto({d.Length} bytes, {f}, {L(a)})", s => s.SendTo(d, f, a))),
        Gen.Select(AnyInt, AnyFlags).Select((n, f) => new Op($"recv({n}, {f})", s => s.Recv(n, f))),
        Gen.Select(Gen.Int[0, 64], AnyInt, AnyFlags).Select((len, n, f) => new Op($"recv_into(bytearray({len}), {n}, {f})", s => s.RecvInto(new byte[len], n, f))),
        Gen.Select(AnyInt, AnyFlags).Select((n, f) => new Op($"recvfrom({n}, {f})", s => s.RecvFrom(n, f))),
        Gen.Select(Gen.Int[0, 64], AnyInt, AnyFlags).Select((len, n, f) => new Op($"recvfrom_into(bytearray({len}), {n}, {f})", s => s.RecvFromInto(new byte[len], n, f))),
        AnyInt.Select(h => new Op($"shutdown({h})", s => s.Shutdown(h), true)),
        Gen.Select(Gen.OneOf(SOL_SOCKET, IPPROTO_TCP, IPPROTO_IP, IPPROTO_IPV6, -1, 9999), Gen.Int[-2, 80], Gen.OneOf(0, -1, 1, 4, 1024, 1025, int.MaxValue))
            .Select((l, o, b) => new Op($"getsockopt({l}, {o}, {b})", s => s.GetSockOpt(l, o, b))),
        // Options that break the echo check on purpose (linger 0 and buffer sizes are fine; SO_RCVLOWAT is not a fault).
        Gen.Select(Gen.OneOf(SOL_SOCKET, IPPROTO_TCP, IPPROTO_IP, IPPROTO_IPV6, -1, 9999), Gen.Int[-2, 80], PyValues.Any, Gen.OneOf(0, 4, -1, 2048))
            .Select((l, o, v, n) => new Op($"setsockopt({l}, {o}, {L(v)}, {n})", s => s.SetSockOpt(l, o, v, n), true)),
        Timeout.Select(t => new Op($"settimeout({L(t)})", s => s.SetTimeout(t))),
        Gen.Bool.Select(b => new Op($"setblocking({b})", s => s.SetBlocking(b))),
        Gen.Const(new Op("accept()", s => s.Accept())),
        Gen.Const(new Op("getpeername()", s => s.GetPeerName())),
        Gen.Const(new Op("getsockname()", s => s.GetSockName())),
        Gen.Const(new Op("dup().close()", s => s.Dup().Close())),
        Gen.Select(Gen.OneOf<object?>(-1, int.MaxValue, PyValues.Huge, "0", null, 1.5), Gen.OneOf<object?>(0, -1, 1, int.MaxValue, PyValues.Huge, "1", null), PyValues.ShortPollTimeout)
            .Select((fd, mask, t) => new Op($"poll: register(self), register({L(fd)}, {L(mask)}), poll({L(t)})", s =>
            {
                var p = SelectModule.Poll();
                p.Register(s, PollEvents.POLLIN);
                try
                {
                    p.Register(fd, mask);
                }
                finally
                {
                    p.Poll(t);
                }
            })),
        Gen.Select(Gen.OneOf<object?>(-1, int.MaxValue, PyValues.Huge, "0", null, 1.5), Gen.OneOf<object?>(0, -1, 1, int.MaxValue, PyValues.Huge, "1", null), PyValues.ShortPollTimeout, Gen.OneOf(-1, 0, 1, int.MaxValue, int.MinValue))
            .Select((fd, mask, t, max) => new Op($"epoll: register(self), modify({L(fd)}, {L(mask)}), poll({L(t)}, {max})", s =>
            {
                using var ep = SelectModule.Epoll();
                ep.Register(s, PollEvents.EPOLLIN);
                try
                {
                    ep.Modify(fd, mask);
                }
                finally
                {
                    ep.Poll(t, max);
                }
            })),
        Gen.Select(PyValues.Scalar.Array[0, 3], PyValues.ShortTimeout).Select((items, t) => new Op($"select([self, {string.Join(", ", items.Select(L))}], [self], [], {L(t)})",
            s => SelectModule.Select([s, .. items], [s], [], t))));

    [Fact]
    public void RandomCallsOnAConnectedSocketRaiseOnlyPythonErrorsAndLeaveItUsable()
    {
        SocketOps.SampleFixed(op =>
        {
            var (c, s) = Loopback.Pair();
            try
            {
                c.SetBlocking(false); // no call may wait for the peer; a timeout is the op's own choice
                PySocketException? e = Call(op.Name, () => op.Run(c), op.Name.StartsWith("poll", StringComparison.Ordinal) || op.Name.StartsWith("epoll", StringComparison.Ordinal) || op.Name.StartsWith("select", StringComparison.Ordinal) ? [.. SelectKinds, .. SocketKinds] : SocketKinds);
                if (op.MayEndConnection && e is null) return; // shutdown, a linger, a new connect: not a fault
                AssertStillEchoes(c, s, op.Name);
            }
            finally
            {
                c.Close();
                s.Close();
            }
        }, 300);
    }

    /// <summary>Our socket, whatever was done to it, still sends to and receives from its peer.</summary>
    static void AssertStillEchoes(SocketObject c, SocketObject s, string after)
    {
        c.SetTimeout(10);
        s.SetTimeout(10);
        AssertMarkerArrives(c.SendAll, n => s.Recv(n), after);
        AssertMarkerArrives(s.SendAll, n => c.Recv(n), after);
    }

    /// <summary>
    /// Sends a fresh 16-byte marker and reads until the stream ends with it: what the op sent may still be in flight
    /// (our sends complete on the event loop), so the marker must arrive intact after it, within the timeout.
    /// </summary>
    internal static void AssertMarkerArrives(SendAllFn send, Func<int, byte[]> recv, string after)
    {
        byte[] marker = Guid.NewGuid().ToByteArray();
        send(marker, 0);
        var got = new List<byte>();
        while (got.Count < marker.Length || !got.Skip(got.Count - marker.Length).SequenceEqual(marker))
        {
            byte[] chunk = recv(65536);
            Assert.True(chunk.Length > 0, $"after {after}: EOF before the marker");
            got.AddRange(chunk);
        }
    }

    internal delegate void SendAllFn(ReadOnlySpan<byte> data, int flags);

    sealed record SslOp(string Name, Action<SslContext> Run)
    {
        public override string ToString() => Name;
    }

    static readonly Gen<string> AnyText = Gen.OneOf("", "ALL", "DEFAULT", "HIGH:!aNULL", "nonsense", "x\0y", new string('a', 300), "ECDHE+AESGCM", "h2", "http/1.1", "/nonexistent/file.pem", "/etc/hostname", "/");

    static readonly Gen<SslOp> SslOps = Gen.OneOf(
        AnyInt.Select(v => new SslOp($"verify_mode = {v}", c => c.VerifyMode = v)),
        AnyInt.Select(v => new SslOp($"minimum_version = {v}", c => c.MinimumVersion = v)),
        AnyInt.Select(v => new SslOp($"maximum_version = {v}", c => c.MaximumVersion = v)),
        Gen.Long.Select(v => new SslOp($"options = {v}", c => c.Options = v)),
        AnyInt.Select(v => new SslOp($"verify_flags = {v}", c => c.VerifyFlags = v)),
        AnyText.Select(t => new SslOp($"set_ciphers({L(t)})", c => c.SetCiphers(t))),
        AnyText.Array[0, 3].Select(t => new SslOp($"set_alpn_protocols({string.Join(",", t)})", c => c.SetAlpnProtocols(t))),
        Gen.Select(AnyText, PyValues.Any).Select((f, d) => new SslOp($"load_verify_locations({L(f)}, cadata={L(d)})", c => c.LoadVerifyLocations(f.Length == 0 ? null : f, null, d))),
        Gen.Select(AnyText, AnyText, PyValues.Any).Select((f, k, p) => new SslOp($"load_cert_chain({L(f)}, {L(k)}, {L(p)})", c => c.LoadCertChain(f, k, p))),
        Gen.Select(Gen.Bool, AnyText).Select((server, host) => new SslOp($"wrap_socket(unconnected, server_side={server}, server_hostname={L(host)}).close()", c =>
        {
            var s = new SocketObject();
            try
            {
                c.WrapSocket(s, serverSide: server, doHandshakeOnConnect: false, serverHostname: host).Close();
            }
            finally
            {
                s.Close();
            }
        })));

    [Fact]
    public void RandomCallsOnAnSslContextRaiseOnlyPythonErrorsAndLeaveItUsable()
    {
        Gen.Select(AnyInt, SslOps.Array[1, 4]).SampleFixed(t =>
        {
            var (protocol, ops) = t;
            SslContext? ctx = null;
            Call($"SSLContext({protocol})", () => ctx = new SslContext(protocol), SslKinds);
            ctx ??= new SslContext(SslConstants.PROTOCOL_TLS_CLIENT);
            foreach (SslOp op in ops) Call(op.Name, () => op.Run(ctx), SslKinds);
            ReliabilityFigures.Add("bad input: random SSLContext sequences");
        }, 300);
    }

    [Fact]
    public void RandomCallsOnAnEstablishedTlsConnectionRaiseOnlyPythonErrorsAndLeaveItUsable()
    {
        var ops = Gen.OneOf(
            Gen.Select(AnyInt, AnyFlags).Select((n, f) => ($"recv({n}, {f})", (Action<SslSocket>)(t => t.Recv(n, f)))),
            AnyInt.Select(n => ($"read({n})", (Action<SslSocket>)(t => t.Read(n)))),
            Gen.Select(Gen.Int[0, 64], AnyInt, AnyFlags).Select((len, n, f) => ($"recv_into(bytearray({len}), {n}, {f})", (Action<SslSocket>)(t => t.RecvInto(new byte[len], n, f)))),
            Gen.Select(Data, AnyFlags).Select((d, f) => ($"send({d.Length} bytes, {f})", (Action<SslSocket>)(t => t.Send(d, f)))),
            Gen.OneOf("tls-unique", "tls-server-end-point", "", "nonsense").Select(cb => ($"get_channel_binding({L(cb)})", (Action<SslSocket>)(t => t.GetChannelBinding(cb)))),
            Gen.Bool.Select(b => ($"getpeercert({b})", (Action<SslSocket>)(t => t.GetPeerCert(b)))),
            Gen.Const(("pending()", (Action<SslSocket>)(t => t.Pending()))),
            Gen.Const(("cipher()/version()", (Action<SslSocket>)(t => { t.Cipher(); t.Version(); }))));
        SslContext serverCtx = SslTestKit.ServerContext();
        SslContext clientCtx = SslTestKit.ClientContext();
        ops.Array[1, 6].SampleFixed(batch =>
        {
            var (c, s) = Loopback.Pair();
            SslSocket server = serverCtx.WrapSocket(s, serverSide: true, doHandshakeOnConnect: false);
            SslSocket client = clientCtx.WrapSocket(c, serverHostname: "localhost", doHandshakeOnConnect: false);
            try
            {
                Task hs = Task.Run(server.DoHandshake);
                client.DoHandshake();
                Assert.True(hs.Wait(Deadline), "handshake");
                client.SetBlocking(false);
                foreach (var (name, run) in batch)
                {
                    Call(name, () => run(client), SslKinds);
                }
                client.SetTimeout(10);
                server.SetTimeout(10);
                string after = string.Join("; ", batch.Select(b => b.Item1));
                AssertMarkerArrives(client.SendAll, n => server.Recv(n), after);
                AssertMarkerArrives(server.SendAll, n => client.Recv(n), after);
                ReliabilityFigures.Add("bad input: random TLS connection batches");
            }
            finally
            {
                client.Close();
                server.Close();
            }
        }, 30);
    }
}
