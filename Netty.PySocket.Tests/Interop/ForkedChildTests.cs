namespace Netty.PySocket.Tests.Interop;

/// <summary>
/// os.fork() with the binding (interop/python/netty_pysocket/_forked.py): the child uses the sockets it inherited,
/// makes new ones, selects, and the parent's own sockets (listening, UDP, the closed copy of the child's connection)
/// go on working. The script must print exactly what it prints on native CPython.
/// </summary>
public class ForkedChildTests
{
    const string Script = """
        import os, select, selectors, socket
        srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen()
        a = socket.create_connection(srv.getsockname()); b, _ = srv.accept()
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 0))
        v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); v.bind(("127.0.0.1", 0))
        b.settimeout(5.0)
        a.sendall(b"request")
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            out = []
            def attempt(label, fn):
                try:
                    out.append((label, fn()))
                except Exception as e:
                    out.append((label, type(e).__name__, getattr(e, "errno", None)))
            try:
                data = b""
                while len(data) < 7:
                    data += b.recv(7 - len(data))
                out.append(("recv", data))
                attempt("timeout", b.gettimeout)
                attempt("blocking", b.getblocking)
                b.setblocking(False)
                attempt("nonblocking recv", lambda: b.recv(10))
                b.settimeout(None)
                attempt("timeout after settimeout(None)", b.gettimeout)
                attempt("bad timeout", lambda: b.settimeout(-1))
                attempt("select nothing", lambda: select.select([b], [], [], 0) == ([], [], []))
                sel = selectors.DefaultSelector()
                sel.register(b, selectors.EVENT_WRITE)
                attempt("selector writable", lambda: [k.fileobj is b for k, _ in sel.select(5)])
                sel.close()
                x, y = socket.socketpair()
                x.sendall(b"pair")
                attempt("new pair", lambda: y.recv(4))
                x.close(); y.close()
                attempt("sendto", lambda: u.sendto(b"dgram", v.getsockname()))
                attempt("family", lambda: b.family == socket.AF_INET and b.type == socket.SOCK_STREAM)
                b.sendall(b"reply from the child")
                b.shutdown(socket.SHUT_WR)
                b.close()
                attempt("closed fileno", b.fileno)
                attempt("recv after close", lambda: b.recv(1))
            except BaseException as e:
                out.append(("unexpected", repr(e)))
            finally:
                os.write(w, repr(out).encode())
                os._exit(0)
        os.close(w)
        b.close()  # the parent's copy: the child's connection lives on
        reply = b""
        while True:
            chunk = a.recv(100)
            if not chunk:
                break
            reply += chunk
        print("parent got", reply)
        print("udp", v.recvfrom(100)[0])
        report = b""
        while True:
            chunk = os.read(r, 4096)
            if not chunk:
                break
            report += chunk
        for item in eval(report.decode()):
            print("child", item)
        print("child exit", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
        c = socket.create_connection(srv.getsockname()); s, _ = srv.accept()
        c.sendall(b"after the fork")
        print("parent accepts", s.recv(100))
        v.sendto(b"back", u.getsockname())
        print("parent udp", u.recvfrom(100)[0])
        for sock in (a, c, s, u, v, srv):
            sock.close()
        """;

    [Fact]
    public void AForkedChildUsesItsInheritedSocketsAsCPythonsDoes()
    {
        var (native, ours) = ScriptRun.NativeAndOurs(Script);
        Assert.True(native.Code == 0, native.Stderr);
        Assert.True(ours.Code == 0, ours.Stderr);
        Assert.Contains("parent got b'reply from the child'", native.Stdout);
        Assert.Equal(native.Stdout, ours.Stdout);
    }

    const string TlsScript = """
        import os, ssl
        ctx = ssl.create_default_context()
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            out = []
            for label, fn in (("context", ssl.create_default_context), ("inherited", ctx.cert_store_stats),
                              ("rand", lambda: ssl.RAND_bytes(4))):
                try:
                    fn()
                    out.append(label + " worked")
                except OSError as e:
                    out.append(f"{label} {type(e).__name__} {e.errno}")
            os.write(w, "; ".join(out).encode())
            os._exit(0)
        os.close(w)
        print("child:", os.read(r, 1000).decode())
        print("child exit", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
        print("parent still has TLS:", ssl.create_default_context().verify_mode == ssl.CERT_REQUIRED)
        """;

    /// <summary>
    /// TLS state lives in .NET, which a forked child cannot run: a child that reached it crashed, and the parent
    /// died after it. The child's TLS calls refuse with ENOTSUP (CPython's child could go on; ours cannot), and the
    /// parent is unharmed.
    /// </summary>
    [Fact]
    public void TlsInAForkedChildRefusesAndTheParentGoesOn()
    {
        var (code, stdout, stderr) = ScriptRun.Run("dotnet", [Runtime.InteropHost.Path, "run", WriteScript(TlsScript)]);
        Assert.True(code == 0, stderr);
        Assert.Equal(
            "child: context OSError 95; inherited OSError 95; rand OSError 95\nchild exit 0\nparent still has TLS: True\n",
            stdout);
    }

    static string WriteScript(string text)
    {
        string path = Path.Combine(Path.GetTempPath(), $"pysocket-fork-tls-{Guid.NewGuid():N}.py");
        File.WriteAllText(path, text);
        return path;
    }
}
