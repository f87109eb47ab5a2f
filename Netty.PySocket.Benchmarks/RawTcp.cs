using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using NetSocket = System.Net.Sockets.Socket;

namespace Netty.PySocket.Benchmarks;

/// <summary>Raw blocking System.Net.Sockets on both ends.</summary>
public sealed class RawTcp : TcpImpl
{
    public override string Name => Impl.Raw;

    internal static (NetSocket server, NetSocket client, NetSocket conn) Pair(bool nodelay = false)
    {
        var server = new NetSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        server.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        server.Listen(128);
        var client = new NetSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(server.LocalEndPoint!);
        var conn = server.Accept();
        client.NoDelay = nodelay; conn.NoDelay = nodelay;
        return (server, client, conn);
    }

    internal static void RecvExact(NetSocket s, Span<byte> buf)
    {
        int got = 0;
        while (got < buf.Length)
        {
            int n = s.Receive(buf[got..]);
            if (n == 0) throw new IOException("EOF");
            got += n;
        }
    }

    internal static void SendAll(NetSocket s, ReadOnlySpan<byte> data)
    {
        while (data.Length > 0) data = data[s.Send(data)..];
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
                    int n = conn.Receive(buf.AsSpan(0, (int)Math.Min(chunk, total - got)));
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
                SendAll(client, Payload.Slice(pos, len));
                pos += len;
            }
            rx.Join();
            return new BulkResult(Stopwatch.GetElapsedTime(start, end).TotalSeconds, sha);
        }
        finally { client.Dispose(); conn.Dispose(); server.Dispose(); }
    }

    public override double[] PingPong(int n, int size, bool timeoutMode)
    {
        var (server, client, conn) = Pair(nodelay: true);
        if (timeoutMode)
        {
            client.ReceiveTimeout = client.SendTimeout = 10_000;
            conn.ReceiveTimeout = conn.SendTimeout = 10_000;
        }
        const int warm = 200;
        try
        {
            var echo = new Thread(() =>
            {
                var b = new byte[size];
                try { for (int i = 0; i < n + warm; i++) { RecvExact(conn, b); SendAll(conn, b); } }
                catch (Exception) { }
            }) { IsBackground = true };
            echo.Start();
            var msg = Payload.Block.AsSpan(0, size).ToArray();
            var rb = new byte[size];
            var lat = new double[n];
            for (int i = 0; i < warm; i++) { SendAll(client, msg); RecvExact(client, rb); }
            for (int i = 0; i < n; i++)
            {
                long t0 = Stopwatch.GetTimestamp();
                SendAll(client, msg);
                RecvExact(client, rb);
                lat[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
            }
            echo.Join();
            return lat;
        }
        finally { client.Dispose(); conn.Dispose(); server.Dispose(); }
    }

    public override double ConnRate(int n)
    {
        using var server = new NetSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        server.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        server.Listen(128);
        var ep = server.LocalEndPoint!;
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < n; i++)
        {
            var c = new NetSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            c.Connect(ep);
            var a = server.Accept();
            c.Dispose();
            a.Dispose();
        }
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
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
            for (int i = 0; i < 100; i++) SendAll(client, msg);
            ready.SignalAndWait();
            long p0 = GC.GetTotalAllocatedBytes(true);
            long t0 = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < n; i++) SendAll(client, msg);
            long tx = GC.GetAllocatedBytesForCurrentThread() - t0;
            rx.Join();
            long p = GC.GetTotalAllocatedBytes(true) - p0;
            return new AllocResult((double)tx / n, (double)rxBytes / n, (double)p / n);
        }
        finally { client.Dispose(); conn.Dispose(); server.Dispose(); }
    }
}
