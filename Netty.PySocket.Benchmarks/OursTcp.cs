using System.Diagnostics;
using System.Security.Cryptography;
using Netty.PySocket.Socket;

namespace Netty.PySocket.Benchmarks;

/// <summary>Netty.PySocket's SocketObject on both ends (what CPython code gets).</summary>
public sealed class OursTcp : TcpImpl
{
    public override string Name => Impl.Ours;
    const int IPPROTO_TCP = 6, TCP_NODELAY = 1;

    static (SocketObject server, SocketObject client, SocketObject conn) Pair(bool nodelay = false)
    {
        var server = new SocketObject();
        server.Bind(new object[] { "127.0.0.1", 0 });
        server.Listen(128);
        var client = new SocketObject();
        client.Connect(server.GetSockName());
        var conn = server.AcceptSocket(out _);
        if (nodelay)
        {
            client.SetSockOpt(IPPROTO_TCP, TCP_NODELAY, 1);
            conn.SetSockOpt(IPPROTO_TCP, TCP_NODELAY, 1);
        }
        return (server, client, conn);
    }

    static void RecvExact(SocketObject s, Span<byte> buf)
    {
        int got = 0;
        while (got < buf.Length)
        {
            int n = s.RecvInto(buf[got..]);
            if (n == 0) throw new IOException("EOF");
            got += n;
        }
    }

    public override BulkResult Bulk(long total, int chunk, bool verify)
    {
        var (server, client, conn) = Pair();
        try
        {
            string? sha = null;
            long end = 0;
            var rx = new Thread(() =>
            {
                using var h = verify ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
                var buf = new byte[chunk];
                long got = 0;
                while (got < total)
                {
                    int n = conn.RecvInto(buf.AsSpan(0, (int)Math.Min(chunk, total - got)));
                    if (n == 0) throw new IOException("EOF");
                    h?.AppendData(buf, 0, n);
                    got += n;
                }
                end = Stopwatch.GetTimestamp();
                if (h != null) sha = Convert.ToHexString(h.GetHashAndReset());
            }) { IsBackground = true };
            rx.Start();
            long start = Stopwatch.GetTimestamp();
            for (long pos = 0; pos < total;)
            {
                int len = (int)Math.Min(chunk, total - pos);
                client.SendAll(Payload.Slice(pos, len));
                pos += len;
            }
            rx.Join();
            return new BulkResult(Stopwatch.GetElapsedTime(start, end).TotalSeconds, sha);
        }
        finally { client.Close(); conn.Close(); server.Close(); }
    }

    public override double[] PingPong(int n, int size, bool timeoutMode)
    {
        var (server, client, conn) = Pair(nodelay: true);
        if (timeoutMode) { client.SetTimeout(10.0); conn.SetTimeout(10.0); }
        const int warm = 200;
        try
        {
            var echo = new Thread(() =>
            {
                var b = new byte[size];
                try
                {
                    for (int i = 0; i < n + warm; i++) { RecvExact(conn, b); conn.SendAll(b); }
                }
                catch (Exception) { }
            }) { IsBackground = true };
            echo.Start();
            var msg = Payload.Block.AsSpan(0, size).ToArray();
            var rb = new byte[size];
            var lat = new double[n];
            for (int i = 0; i < warm; i++) { client.SendAll(msg); RecvExact(client, rb); }
            for (int i = 0; i < n; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                client.SendAll(msg);
                RecvExact(client, rb);
                lat[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
            }
            echo.Join();
            return lat;
        }
        finally { client.Close(); conn.Close(); server.Close(); }
    }

    public override double ConnRate(int n)
    {
        var server = new SocketObject();
        server.Bind(new object[] { "127.0.0.1", 0 });
        server.Listen(128);
        var addr = server.GetSockName();
        try
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < n; i++)
            {
                var c = new SocketObject();
                c.Connect(addr);
                var a = server.AcceptSocket(out _);
                c.Close();
                a.Close();
            }
            return Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        finally { server.Close(); }
    }

    public override AllocResult Alloc(int n, int size)
    {
        var (server, client, conn) = Pair();
        try
        {
            long rxBytes = 0;
            var ready = new Barrier(2);
            var rx = new Thread(() =>
            {
                var b = new byte[size];
                for (int i = 0; i < 100; i++) RecvExact(conn, b);
                ready.SignalAndWait();
                long a0 = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < n; i++) RecvExact(conn, b);
                rxBytes = GC.GetAllocatedBytesForCurrentThread() - a0;
            }) { IsBackground = true };
            rx.Start();
            var msg = Payload.Block.AsSpan(0, size).ToArray();
            for (int i = 0; i < 100; i++) client.SendAll(msg);
            ready.SignalAndWait();
            long p0 = GC.GetTotalAllocatedBytes(true);
            long t0 = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < n; i++) client.SendAll(msg);
            long tx = GC.GetAllocatedBytesForCurrentThread() - t0;
            rx.Join();
            long p = GC.GetTotalAllocatedBytes(true) - p0;
            return new AllocResult((double)tx / n, (double)rxBytes / n, (double)p / n);
        }
        finally { client.Close(); conn.Close(); server.Close(); }
    }

    /// <summary>recv(1024) (allocating variant, as Python's recv) caller-thread bytes per call.</summary>
    public static double AllocRecvBytes(int n, int size)
    {
        var (server, client, conn) = Pair();
        try
        {
            long rxBytes = 0;
            var rx = new Thread(() =>
            {
                int got = 0;
                long a0 = GC.GetAllocatedBytesForCurrentThread();
                int calls = 0;
                while (got < n * size) { var r = conn.Recv(size); if (r.Length == 0) break; got += r.Length; calls++; }
                rxBytes = (GC.GetAllocatedBytesForCurrentThread() - a0) / Math.Max(1, calls);
            }) { IsBackground = true };
            rx.Start();
            var msg = Payload.Block.AsSpan(0, size).ToArray();
            for (int i = 0; i < n; i++) client.SendAll(msg);
            rx.Join();
            return rxBytes;
        }
        finally { client.Close(); conn.Close(); server.Close(); }
    }
}

public static class Impl
{
    public const string Ours = "ours";
    public const string Raw = "raw System.Net";
    public const string DotNetty = "raw DotNetty";
    public const string CPython = "CPython 3.11";
    public const string OursPy = "CPython+ours (host)";
    public const string Jython = "Jython 2.7";
    public const string RawSsl = "raw SslStream";
}
