using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using DotNetty.Buffers;
using DotNetty.Transport.Bootstrapping;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Sockets;
using Netty.PySocket.Errors;
using Netty.PySocket.Select;
using Netty.PySocket.Socket;
using NetSocket = System.Net.Sockets.Socket;

namespace Netty.PySocket.Benchmarks;

/// <summary>
/// Issue 7's "many connections": N concurrent echo connections over loopback, driven by a few threads. One round
/// sends a 64 B message on every connection and waits until every echo came back; the figure is round trips/s
/// (N x rounds / time) and µs per round trip. Each stack does both ends its own way:
/// ours = one server thread and <see cref="ClientThreads"/> client threads, each a select.poll loop over
/// non-blocking SocketObjects (what a Python selectors program does); raw System.Net = the same loops with
/// Socket.Select over non-blocking sockets; raw DotNetty = an echo pipeline, clients counting replies in a handler
/// (event loops: 1 server, <see cref="ClientThreads"/> client).
/// </summary>
public abstract class ManyConnections : IDisposable
{
    public const int MessageBytes = 64;
    public const int ClientThreads = 2;

    public abstract string Name { get; }

    /// <summary>Opens <paramref name="n"/> connections and starts the server loop.</summary>
    public abstract void Open(int n);

    /// <summary>Runs <paramref name="rounds"/> rounds; returns the seconds they took.</summary>
    public abstract double Rounds(int rounds);

    public abstract void Dispose();

    /// <summary>Connections per client thread: thread t gets every ClientThreads-th connection.</summary>
    protected static List<T>[] Split<T>(IReadOnlyList<T> all)
    {
        var parts = Enumerable.Range(0, ClientThreads).Select(_ => new List<T>()).ToArray();
        for (int i = 0; i < all.Count; i++) parts[i % ClientThreads].Add(all[i]);
        return parts;
    }

    /// <summary>Runs one body per client thread and returns the wall time until all finished.</summary>
    protected static double Parallel(Action<int> body)
    {
        var threads = new Thread[ClientThreads];
        Exception? failure = null;
        long t0 = Stopwatch.GetTimestamp();
        for (int t = 0; t < ClientThreads; t++)
        {
            int k = t;
            threads[t] = new Thread(() =>
            {
                try { body(k); }
                catch (Exception e) { failure ??= e; }
            }) { IsBackground = true };
            threads[t].Start();
        }
        foreach (var th in threads) th.Join();
        double s = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        if (failure is not null) throw new InvalidOperationException("client thread failed", failure);
        return s;
    }

    /// <summary>Soft RLIMIT_NOFILE raised to the hard limit (N connections need 2N descriptors in one process); returns the new soft limit.</summary>
    public static long RaiseFileLimit()
    {
        if (!OperatingSystem.IsLinux()) return -1;
        var lim = new RLimit();
        if (GetRLimit(RLIMIT_NOFILE, ref lim) != 0) return -1;
        if (lim.Cur < lim.Max)
        {
            lim.Cur = lim.Max;
            SetRLimit(RLIMIT_NOFILE, ref lim);
            GetRLimit(RLIMIT_NOFILE, ref lim);
        }
        return (long)Math.Min(lim.Cur, long.MaxValue);
    }

    const int RLIMIT_NOFILE = 7;

    [StructLayout(LayoutKind.Sequential)]
    struct RLimit
    {
        public ulong Cur, Max;
    }

    [DllImport("libc", EntryPoint = "getrlimit")]
    static extern int GetRLimit(int resource, ref RLimit limit);

    [DllImport("libc", EntryPoint = "setrlimit")]
    static extern int SetRLimit(int resource, ref RLimit limit);
}

/// <summary>Ours: SocketObjects, select.poll loops (server: 1 thread; clients: <see cref="ManyConnections.ClientThreads"/>).</summary>
public sealed class OursManyConnections : ManyConnections
{
    public override string Name => Impl.Ours;
    readonly List<SocketObject> clients = new(), conns = new();
    SocketObject? listener;
    Thread? server;
    volatile bool stop;
    Exception? serverFailure;

    public override void Open(int n)
    {
        listener = new SocketObject();
        listener.Bind(new object[] { "127.0.0.1", 0 });
        listener.Listen(1024);
        var addr = listener.GetSockName();
        for (int i = 0; i < n; i++)
        {
            var c = new SocketObject();
            c.Connect(addr);
            clients.Add(c);
            conns.Add(listener.AcceptSocket(out _));
        }
        foreach (var s in clients.Concat(conns)) s.SetBlocking(false);
        server = new Thread(Serve) { IsBackground = true, Name = "ours echo server" };
        server.Start();
    }

    void Serve()
    {
        try
        {
            var p = SelectModule.Poll();
            var byFd = new Dictionary<int, SocketObject>(conns.Count);
            foreach (var c in conns)
            {
                byFd[c.Fileno()] = c;
                p.Register(c.Fileno(), PollEvents.POLLIN);
            }
            var buf = new byte[4096];
            object timeout = 100; // ms: the stop flag is looked at between calls
            while (!stop)
            {
                foreach ((int fd, int _) in p.Poll(timeout))
                {
                    var c = byFd[fd];
                    int got = c.RecvInto(buf);
                    if (got == 0) throw new InvalidOperationException("unexpected EOF on the server");
                    if (c.Send(buf.AsSpan(0, got)) != got) throw new InvalidOperationException("short send");
                }
            }
        }
        catch (Exception e) { serverFailure = e; }
    }

    public override double Rounds(int rounds)
    {
        var parts = Split(clients);
        var polls = parts.Select(part =>
        {
            var p = SelectModule.Poll();
            foreach (var c in part) p.Register(c.Fileno(), PollEvents.POLLIN);
            return (p, byFd: part.ToDictionary(c => c.Fileno()), got: new Dictionary<int, int>(part.Count));
        }).ToArray();
        var msg = Payload.Block.AsSpan(0, MessageBytes).ToArray();
        double s = Parallel(t =>
        {
            var (p, byFd, got) = polls[t];
            var part = parts[t];
            var buf = new byte[4096];
            object timeout = 10_000;
            for (int r = 0; r < rounds; r++)
            {
                foreach (var c in part)
                {
                    if (c.Send(msg) != MessageBytes) throw new InvalidOperationException("short send");
                }
                got.Clear();
                int pending = part.Count;
                while (pending > 0)
                {
                    var ready = p.Poll(timeout);
                    if (ready.Count == 0) throw new TimeoutException($"{pending} echoes missing");
                    foreach ((int fd, int _) in ready)
                    {
                        int n = byFd[fd].RecvInto(buf);
                        got.TryGetValue(fd, out int had);
                        had += n;
                        got[fd] = had;
                        if (had == MessageBytes) pending--;
                        else if (had > MessageBytes) throw new InvalidOperationException("too many bytes");
                    }
                }
            }
        });
        if (serverFailure is not null) throw new InvalidOperationException("server failed", serverFailure);
        return s;
    }

    public override void Dispose()
    {
        stop = true;
        server?.Join();
        foreach (var s in clients.Concat(conns)) s.Close();
        listener?.Close();
    }
}

/// <summary>Raw System.Net: non-blocking Sockets and Socket.Select loops, same threads as ours.</summary>
public sealed class RawManyConnections : ManyConnections
{
    public override string Name => Impl.Raw;
    readonly List<NetSocket> clients = new(), conns = new();
    NetSocket? listener;
    Thread? server;
    volatile bool stop;
    Exception? serverFailure;

    public override void Open(int n)
    {
        listener = new NetSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1024);
        for (int i = 0; i < n; i++)
        {
            var c = new NetSocket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            c.Connect(listener.LocalEndPoint!);
            clients.Add(c);
            var a = listener.Accept();
            a.NoDelay = true;
            conns.Add(a);
        }
        foreach (var s in clients.Concat(conns)) s.Blocking = false;
        server = new Thread(Serve) { IsBackground = true, Name = "raw echo server" };
        server.Start();
    }

    void Serve()
    {
        try
        {
            var buf = new byte[4096];
            var check = new List<NetSocket>(conns.Count);
            while (!stop)
            {
                check.Clear();
                check.AddRange(conns);
                NetSocket.Select(check, null, null, 100_000);
                foreach (var c in check)
                {
                    int got = c.Receive(buf, 0, buf.Length, SocketFlags.None, out SocketError e);
                    if (e == SocketError.WouldBlock) continue;
                    if (e != SocketError.Success || got == 0) throw new InvalidOperationException("server receive: " + e);
                    if (c.Send(buf, 0, got, SocketFlags.None) != got) throw new InvalidOperationException("short send");
                }
            }
        }
        catch (Exception e) { serverFailure = e; }
    }

    public override double Rounds(int rounds)
    {
        var parts = Split(clients);
        var msg = Payload.Block.AsSpan(0, MessageBytes).ToArray();
        double s = Parallel(t =>
        {
            var part = parts[t];
            var buf = new byte[4096];
            var got = new Dictionary<NetSocket, int>(part.Count);
            var waiting = new List<NetSocket>(part.Count);
            var check = new List<NetSocket>(part.Count);
            for (int r = 0; r < rounds; r++)
            {
                foreach (var c in part)
                {
                    if (c.Send(msg) != MessageBytes) throw new InvalidOperationException("short send");
                }
                got.Clear();
                waiting.Clear();
                waiting.AddRange(part);
                while (waiting.Count > 0)
                {
                    check.Clear();
                    check.AddRange(waiting);
                    NetSocket.Select(check, null, null, 10_000_000);
                    if (check.Count == 0) throw new TimeoutException($"{waiting.Count} echoes missing");
                    foreach (var c in check)
                    {
                        int n = c.Receive(buf, 0, buf.Length, SocketFlags.None, out SocketError e);
                        if (e == SocketError.WouldBlock) continue;
                        if (e != SocketError.Success) throw new InvalidOperationException("client receive: " + e);
                        got.TryGetValue(c, out int had);
                        had += n;
                        got[c] = had;
                        if (had == MessageBytes) waiting.Remove(c);
                    }
                }
            }
        });
        if (serverFailure is not null) throw new InvalidOperationException("server failed", serverFailure);
        return s;
    }

    public override void Dispose()
    {
        stop = true;
        server?.Join();
        foreach (var s in clients.Concat(conns)) s.Dispose();
        listener?.Dispose();
    }
}

/// <summary>Raw DotNetty: an echo pipeline; client handlers count echoes and release the round when all came back.</summary>
public sealed class DotNettyManyConnections : ManyConnections
{
    public override string Name => Impl.DotNetty;
    readonly MultithreadEventLoopGroup serverLoop = new(1), clientLoops = new(ClientThreads);
    readonly List<IChannel> clients = new();
    IChannel? listener;
    Round? round;

    sealed class Round
    {
        public int Number, Pending;
        public readonly ManualResetEventSlim Done = new(false);
    }

    sealed class Init(Action<IChannel> init) : ChannelInitializer<ISocketChannel>
    {
        protected override void InitChannel(ISocketChannel channel) => init(channel);
    }

    sealed class Echo : ChannelHandlerAdapter
    {
        public override void ChannelRead(IChannelHandlerContext ctx, object msg) => ctx.WriteAndFlushAsync(msg);
    }

    /// <summary>Counts a connection's echoed bytes since it opened: round k is complete for it at k x 64 B.</summary>
    sealed class Counter(DotNettyManyConnections owner) : ChannelHandlerAdapter
    {
        long got;
        public override void ChannelRead(IChannelHandlerContext ctx, object msg)
        {
            var b = (IByteBuffer)msg;
            got += b.ReadableBytes;
            b.Release();
            var r = Volatile.Read(ref owner.round)!;
            if (got != (long)MessageBytes * r.Number) return;
            if (Interlocked.Decrement(ref r.Pending) == 0) r.Done.Set();
        }
    }

    int roundsDone;

    public override void Open(int n)
    {
        listener = new ServerBootstrap().Group(serverLoop, serverLoop).Channel<TcpServerSocketChannel>()
            .Option(ChannelOption.SoBacklog, 1024)
            .ChildOption(ChannelOption.TcpNodelay, true)
            .ChildHandler(new Init(ch => ch.Pipeline.AddLast(new Echo())))
            .BindAsync(new IPEndPoint(IPAddress.Loopback, 0)).GetAwaiter().GetResult();
        for (int i = 0; i < n; i++)
        {
            var counter = new Counter(this);
            clients.Add(new Bootstrap().Group(clientLoops).Channel<TcpSocketChannel>()
                .Option(ChannelOption.TcpNodelay, true)
                .Handler(new Init(ch => ch.Pipeline.AddLast(counter)))
                .ConnectAsync(listener.LocalAddress).GetAwaiter().GetResult());
        }
    }

    public override double Rounds(int rounds)
    {
        var msg = Payload.Block.AsSpan(0, MessageBytes).ToArray();
        long t0 = Stopwatch.GetTimestamp();
        for (int r = 0; r < rounds; r++)
        {
            var next = new Round { Number = ++roundsDone, Pending = clients.Count };
            Volatile.Write(ref round, next); // published before the writes whose echoes it counts
            foreach (var ch in clients) ch.WriteAndFlushAsync(Unpooled.WrappedBuffer(msg));
            if (!next.Done.Wait(TimeSpan.FromSeconds(10))) throw new TimeoutException($"{next.Pending} echoes missing");
        }
        return Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }

    public override void Dispose()
    {
        foreach (var ch in clients) ch.CloseAsync().Wait(5000);
        listener?.CloseAsync().Wait(5000);
        Task.WaitAll(clientLoops.ShutdownGracefullyAsync(TimeSpan.Zero, TimeSpan.FromSeconds(1)),
            serverLoop.ShutdownGracefullyAsync(TimeSpan.Zero, TimeSpan.FromSeconds(1)));
    }
}
