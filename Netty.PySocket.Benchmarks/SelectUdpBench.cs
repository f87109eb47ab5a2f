using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Netty.PySocket.Net;
using Netty.PySocket.Select;
using Netty.PySocket.Socket;
using NetSocket = System.Net.Sockets.Socket;

namespace Netty.PySocket.Benchmarks;

/// <summary>select/poll per-call cost with N accepted sockets of ours registered, exactly one readable.</summary>
public static class SelectBench
{
    public sealed record Costs(double SelectObjectsUs, double SelectFdsUs, double PollUs);

    public sealed class Fixture : IDisposable
    {
        public readonly SocketObject Server;
        public readonly List<SocketObject> Clients = new(), Conns = new();
        public Fixture(int n)
        {
            Server = new SocketObject();
            Server.Bind(new object[] { "127.0.0.1", 0 });
            Server.Listen(n + 16);
            var addr = Server.GetSockName();
            for (int i = 0; i < n; i++)
            {
                var c = new SocketObject();
                c.Connect(addr);
                Clients.Add(c);
                Conns.Add(Server.AcceptSocket(out _));
            }
            Clients[n / 2].SendAll(new byte[] { 1 });
            var fds = Conns.Select(c => c.Fileno()).ToArray();
            var sw = Stopwatch.StartNew();
            while (SelectModule.SelectFds(fds, Array.Empty<int>(), Array.Empty<int>(), 0.1).Readable.Length != 1)
                if (sw.Elapsed > TimeSpan.FromSeconds(10)) throw new InvalidOperationException("no readable socket");
        }
        public void Dispose()
        {
            foreach (var s in Clients.Concat(Conns)) s.Close();
            Server.Close();
        }
    }

    public static Costs Measure(Fixture f, int calls)
    {
        var objs = f.Conns.Cast<object?>().ToList();
        var none = new List<object?>();
        var fds = f.Conns.Select(c => c.Fileno()).ToArray();
        var empty = Array.Empty<int>();
        object timeout = 0.0;
        double Time(Func<int> call)
        {
            for (int i = 0; i < Math.Min(calls, 100); i++) call();
            long t0 = Stopwatch.GetTimestamp();
            int ready = 0;
            for (int i = 0; i < calls; i++) ready = call();
            double us = Stopwatch.GetElapsedTime(t0).TotalMicroseconds / calls;
            if (ready != 1) throw new InvalidOperationException($"expected 1 ready, got {ready}");
            return us;
        }
        double sel = Time(() => SelectModule.Select(objs, none, none, timeout).Readable.Count);
        double selFds = Time(() => SelectModule.SelectFds(fds, empty, empty, timeout).Readable.Length);
        var p = SelectModule.Poll();
        foreach (var fd in fds) p.Register(fd, PollEvents.POLLIN);
        double poll = Time(() => p.Poll(timeout).Count);
        foreach (var fd in fds) p.Unregister(fd);
        return new Costs(sel, selFds, poll);
    }
}

/// <summary>UDP datagrams/s: send a batch of 32 on a connected socket, receive them on the bound one, same thread.</summary>
public static class UdpBench
{
    const int Batch = 32;

    public static double Ours(int n, int size)
    {
        var rx = new SocketObject(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM);
        var tx = new SocketObject(SocketConstants.AF_INET, SocketConstants.SOCK_DGRAM);
        try
        {
            rx.Bind(new object[] { "127.0.0.1", 0 });
            tx.Connect(rx.GetSockName());
            var msg = Payload.Block.AsSpan(0, size).ToArray();
            var buf = new byte[65536];
            int Round()
            {
                for (int j = 0; j < Batch; j++) tx.Send(msg);
                int bad = 0;
                for (int j = 0; j < Batch; j++) if (rx.RecvInto(buf) != size) bad++;
                return bad;
            }
            Round();
            long t0 = Stopwatch.GetTimestamp();
            int done = 0;
            while (done < n) { if (Round() != 0) throw new InvalidOperationException("bad datagram"); done += Batch; }
            return done / Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }
        finally { tx.Close(); rx.Close(); }
    }

    public static double Raw(int n, int size)
    {
        using var rx = new NetSocket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        using var tx = new NetSocket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        rx.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        tx.Connect(rx.LocalEndPoint!);
        var msg = Payload.Block.AsSpan(0, size).ToArray();
        var buf = new byte[65536];
        int Round()
        {
            for (int j = 0; j < Batch; j++) tx.Send(msg);
            int bad = 0;
            for (int j = 0; j < Batch; j++) if (rx.Receive(buf) != size) bad++;
            return bad;
        }
        Round();
        long t0 = Stopwatch.GetTimestamp();
        int done = 0;
        while (done < n) { if (Round() != 0) throw new InvalidOperationException("bad datagram"); done += Batch; }
        return done / Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }
}
