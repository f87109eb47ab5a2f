using Netty.PySocket.Errors;
using Netty.PySocket.Socket;
using Netty.PySocket.Ssl;

namespace Netty.PySocket.Benchmarks.Soak;

/// <summary>A plain or TLS socket seen the same way by the drivers; -1 means "would block" (EAGAIN, SSLWant*).</summary>
public abstract class SoakStream
{
    public abstract int Fd { get; }
    public abstract void SetBlocking(bool flag);
    public abstract void Close();
    protected abstract int SendCore(ReadOnlySpan<byte> data);
    protected abstract int RecvCore(Span<byte> buffer);

    public int Send(ReadOnlySpan<byte> data)
    {
        try { return SendCore(data); }
        catch (PySocketException e) when (WouldBlock(e)) { return -1; }
    }

    public int RecvInto(Span<byte> buffer)
    {
        try { return RecvCore(buffer); }
        catch (PySocketException e) when (WouldBlock(e)) { return -1; }
    }

    public static bool WouldBlock(PySocketException e) =>
        e.Kind is PyErrorKind.SSLWantReadError or PyErrorKind.SSLWantWriteError
        || (e.Kind == PyErrorKind.OSError && e.Errno == Errno.EAGAIN);

    public static SoakStream Of(SocketObject s) => new Plain(s);
    public static SoakStream Of(SslSocket s) => new Tls(s);

    sealed class Plain(SocketObject s) : SoakStream
    {
        readonly int fd = s.Fileno();
        public override int Fd => fd;
        public override void SetBlocking(bool flag) => s.SetBlocking(flag);
        public override void Close() => s.Close();
        protected override int SendCore(ReadOnlySpan<byte> data) => s.Send(data);
        protected override int RecvCore(Span<byte> buffer) => s.RecvInto(buffer);
    }

    sealed class Tls(SslSocket s) : SoakStream
    {
        readonly int fd = s.Fileno();
        public override int Fd => fd;
        public override void SetBlocking(bool flag) => s.SetBlocking(flag);
        public override void Close() => s.Close();
        protected override int SendCore(ReadOnlySpan<byte> data) => s.Send(data);
        protected override int RecvCore(Span<byte> buffer) => s.RecvInto(buffer);
    }
}
