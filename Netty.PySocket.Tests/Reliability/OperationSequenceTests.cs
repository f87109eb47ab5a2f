using System.Diagnostics;
using CsCheck;
using Netty.PySocket.Errors;
using Netty.PySocket.Select;
using Netty.PySocket.Socket;
using Netty.PySocket.Tests.Socket;
using static Netty.PySocket.Net.SocketConstants;

namespace Netty.PySocket.Tests.Reliability;

/// <summary>
/// Issue 8: random sequences of operations on one end of a connection while another thread drives the other end,
/// checked against a small model of what CPython on Linux allows: after close every call is EBADF; send after
/// shutdown(SHUT_WR) is EPIPE; recv returns b"" only after the peer ended its output or we shut down reading; the
/// bytes received are exactly a prefix of what the peer sent; no call outlives its timeout by more than a margin.
/// </summary>
public class OperationSequenceTests
{
    enum Kind { Send, SendAll, Recv, ShutRd, ShutWr, ShutRdWr, Close, SetTimeout, Select, GetPeerName }

    enum PeerKind { Send, ShutWr, Close }

    static readonly double[] Timeouts = [0.0, 0.01, 0.03];
    static readonly TimeSpan Margin = TimeSpan.FromSeconds(2);

    static byte StreamByte(long i) => (byte)(i % 251);

    [Fact]
    public void RandomSequencesAcrossTwoThreadsFollowTheModel()
    {
        var ours = Gen.Select(Gen.Enum<Kind>(), Gen.Int[0, 2], Gen.Int[1, 40000]).Array[1, 16];
        var peer = Gen.Select(Gen.Enum<PeerKind>(), Gen.Int[1, 40000]).Array[0, 5];
        Gen.Select(ours, peer).SampleFixed(t => Run(t.Item1, t.Item2), 500);
    }

    static void Run((Kind Kind, int Arg, int Size)[] ops, (PeerKind Kind, int Size)[] peerOps)
    {
        var (a, b) = Loopback.Pair();
        long peerSent = 0;             // bytes the peer's kernel accepted, in stream order
        int peerEnded = 0;             // set before the peer shuts down its output or closes
        var received = new List<byte>();
        bool closed = false, shutWr = false, shutRd = false;
        double timeout = 0.0;
        a.SetTimeout(timeout);
        b.SetBlocking(false);

        var peerThread = Task.Run(() =>
        {
            foreach (var (kind, size) in peerOps)
            {
                try
                {
                    switch (kind)
                    {
                        case PeerKind.Send:
                            var chunk = new byte[size];
                            long start = Interlocked.Read(ref peerSent);
                            for (int i = 0; i < size; i++) chunk[i] = StreamByte(start + i);
                            Interlocked.Add(ref peerSent, b.Send(chunk));
                            break;
                        case PeerKind.ShutWr:
                            Volatile.Write(ref peerEnded, 1);
                            b.Shutdown(SHUT_WR);
                            break;
                        case PeerKind.Close:
                            Volatile.Write(ref peerEnded, 1);
                            b.Close();
                            return;
                    }
                }
                catch (PySocketException)
                {
                    // EAGAIN when our end does not read, EPIPE/ECONNRESET/EBADF as the sequence goes: all Python errors.
                }
            }
        });

        try
        {
            foreach (var (kind, arg, size) in ops)
            {
                ReliabilityFigures.Add("operation sequences: operations run");
                bool peerHadEnded = Volatile.Read(ref peerEnded) == 1;
                var sw = Stopwatch.StartNew();
                object? result = null;
                PySocketException? error = null;
                try
                {
                    result = Do(a, kind, arg, size);
                }
                catch (PySocketException e)
                {
                    error = e;
                }
                catch (Exception e)
                {
                    Assert.Fail($"{kind}: a .NET exception leaked: {e}");
                }
                string what = $"{kind}({arg}, {size}) closed={closed} shutWr={shutWr} shutRd={shutRd} peerEnded={peerHadEnded} timeout={timeout} -> {error?.ToString() ?? "ok"}";
                Assert.True(sw.Elapsed < TimeSpan.FromSeconds(timeout) + Margin, $"{what}: took {sw.Elapsed}");

                if (closed)
                {
                    // After close: EBADF for every call (select: a closed socket's fileno() is -1, a ValueError).
                    if (kind == Kind.Close) Assert.Null(error);
                    else if (kind == Kind.Select) Assert.Equal(PyErrorKind.ValueError, error?.Kind);
                    else Assert.True(error?.Errno == Errno.EBADF, what);
                    continue;
                }
                switch (kind)
                {
                    case Kind.Close:
                        Assert.Null(error);
                        closed = true;
                        break;
                    case Kind.Send or Kind.SendAll when shutWr:
                        // Linux reports a pending reset before EPIPE (sk_stream_error).
                        Assert.True(error?.Errno == Errno.EPIPE || (shutRd || Volatile.Read(ref peerEnded) == 1) && error?.Errno == Errno.ECONNRESET, what);
                        break;
                    case Kind.Send or Kind.SendAll:
                        // Fine, a full buffer (EAGAIN / timeout), or the peer gone (EPIPE, ECONNRESET).
                        Assert.True(error is null || error.Kind == PyErrorKind.Timeout || error.Errno == Errno.EAGAIN
                            || peerHadEnded || Volatile.Read(ref peerEnded) == 1 && error.Errno is Errno.EPIPE or Errno.ECONNRESET, what);
                        break;
                    case Kind.Recv when error is null:
                        var bytes = (byte[])result!;
                        if (bytes.Length == 0)
                        {
                            Assert.True(shutRd || Volatile.Read(ref peerEnded) == 1, $"{what}: EOF before the peer ended its output");
                        }
                        received.AddRange(bytes);
                        break;
                    case Kind.Recv:
                        // ECONNRESET: the peer closed with our data unread, or (Linux, TCPABORTONDATA) data arrived after we
                        // shut down both ways.
                        Assert.True(error.Kind == PyErrorKind.Timeout || error.Errno == Errno.EAGAIN
                            || (Volatile.Read(ref peerEnded) == 1 || shutRd && shutWr) && error.Errno == Errno.ECONNRESET, what);
                        break;
                    case Kind.ShutRd or Kind.ShutWr or Kind.ShutRdWr:
                        // Linux: ok while connected; ENOTCONN once the peer is gone both ways.
                        Assert.True(error is null || error.Errno == Errno.ENOTCONN, what);
                        if (error is null)
                        {
                            shutRd |= kind is Kind.ShutRd or Kind.ShutRdWr;
                            shutWr |= kind is Kind.ShutWr or Kind.ShutRdWr;
                        }
                        break;
                    case Kind.SetTimeout:
                        Assert.Null(error);
                        timeout = Timeouts[arg];
                        break;
                    case Kind.Select:
                    case Kind.GetPeerName:
                        Assert.True(error is null || kind == Kind.GetPeerName && error.Errno == Errno.ENOTCONN, what);
                        break;
                }
            }
            Assert.True(peerThread.Wait(TimeSpan.FromSeconds(20)), "peer thread hung");
            // Everything received is the start of what the peer sent, in order.
            long sent = Interlocked.Read(ref peerSent);
            Assert.True(received.Count <= sent, $"received {received.Count} of {sent} sent");
            for (int i = 0; i < received.Count; i++)
            {
                if (received[i] != StreamByte(i)) Assert.Fail($"byte {i} of the stream corrupted");
            }
            ReliabilityFigures.Add("operation sequences: sequences run");
        }
        finally
        {
            a.Close();
            peerThread.Wait(TimeSpan.FromSeconds(20));
            b.Close();
        }

        object? Do(SocketObject s, Kind kind, int arg, int size)
        {
            switch (kind)
            {
                case Kind.Send:
                    return s.Send(new byte[size]);
                case Kind.SendAll:
                    s.SendAll(new byte[size]);
                    return null;
                case Kind.Recv:
                    return s.Recv(size);
                case Kind.ShutRd:
                    s.Shutdown(SHUT_RD);
                    return null;
                case Kind.ShutWr:
                    s.Shutdown(SHUT_WR);
                    return null;
                case Kind.ShutRdWr:
                    s.Shutdown(SHUT_RDWR);
                    return null;
                case Kind.Close:
                    s.Close();
                    return null;
                case Kind.SetTimeout:
                    s.SetTimeout(Timeouts[arg]);
                    return null;
                case Kind.Select:
                    return SelectModule.Select([s], [s], [], Timeouts[arg]);
                default:
                    return s.GetPeerName();
            }
        }
    }
}
