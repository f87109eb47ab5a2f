namespace Netty.PySocket.Tests.Interop;

/// <summary>
/// The binding's native call path (NativeEntryPoints through ctypes): one script exercising send/sendall/recv/
/// recv_into/select with every kind of buffer and every way an error crosses the boundary (errno code, timeout code,
/// kept exception, a signal handler's exception) must print exactly what it prints on native CPython.
/// </summary>
public class NativeCallPathTests
{
    const string Script = """
        import array, select, signal, socket, time
        def attempt(label, fn):
            try:
                print(label, repr(fn()))
            except Exception as e:
                print(label, type(e).__name__, getattr(e, "errno", None), str(e))
        srv = socket.socket(); srv.bind(("127.0.0.1", 0)); srv.listen()
        a = socket.create_connection(srv.getsockname()); b, _ = srv.accept()
        attempt("send bytes", lambda: a.send(b"ab"))
        attempt("sendall bytearray", lambda: a.sendall(bytearray(b"cd")))
        attempt("sendall memoryview slice", lambda: a.sendall(memoryview(b"xef")[1:]))
        attempt("send array", lambda: a.send(array.array("b", [103, 104])))
        attempt("send empty", lambda: a.send(b""))
        attempt("send str", lambda: a.send("no"))
        attempt("select readable", lambda: select.select([b], [], [], 5.0)[0] == [b])
        data = b""
        while len(data) < 8:
            data += b.recv(8 - len(data))
        print("recv", data)
        a.sendall(b"0123456789")
        buf = bytearray(6)
        view = memoryview(bytearray(6))[2:]
        target = array.array("b", [0] * 4)
        n = 0
        while n < 3:
            n += b.recv_into(memoryview(buf)[n:3])
        attempt("recv_into nbytes", lambda: b.recv_into(view, 2))
        attempt("recv_into array", lambda: b.recv_into(target, 3))
        print("buffers", bytes(buf), bytes(view), target.tobytes())
        attempt("recv_into bytes", lambda: b.recv_into(b"xx"))
        attempt("recv_into too small", lambda: b.recv_into(bytearray(2), 3))
        attempt("recv rest", lambda: b.recv(100))
        b.setblocking(False)
        attempt("recv would block", lambda: b.recv(10))
        attempt("recv_into would block", lambda: b.recv_into(bytearray(4)))
        b.settimeout(0.05)
        attempt("recv timeout", lambda: b.recv(10))
        attempt("select nothing", lambda: select.select([b], [], [], 0))
        attempt("select int timeout", lambda: select.select([], [a], [], 1) == ([], [a], []))
        attempt("select negative", lambda: select.select([b], [], [], -1.0))
        attempt("select huge", lambda: select.select([b], [], [], 10 ** 30))
        attempt("select bad timeout", lambda: select.select([b], [], [], "x"))
        def alarm(*args):
            raise ZeroDivisionError("alarm")
        signal.signal(signal.SIGALRM, alarm)
        b.settimeout(20.0)
        for label, call in (("recv interrupted", lambda: b.recv(10)),
                            ("select interrupted", lambda: select.select([b], [], [], 20.0))):
            signal.setitimer(signal.ITIMER_REAL, 0.2)
            start = time.monotonic()
            attempt(label, call)
            print(label, "promptly", time.monotonic() - start < 10.0)
        a.sendall(b"z")
        attempt("recv after alarm", lambda: b.recv(1))
        fd = a.fileno()
        a.close()
        attempt("fileno after close", a.fileno)
        attempt("send after close", lambda: a.send(b"x"))
        attempt("recv after close", lambda: a.recv(1))
        b.close(); srv.close()
        """;

    [Fact]
    public void NativePathGivesCPythonsResultsAndExceptions()
    {
        var (native, ours) = ScriptRun.NativeAndOurs(Script);
        Assert.True(native.Code == 0, native.Stderr);
        Assert.True(ours.Code == 0, ours.Stderr);
        Assert.Contains("recv interrupted ZeroDivisionError None alarm", native.Stdout);
        Assert.Equal(native.Stdout, ours.Stdout);
    }
}
