// Quick Stopwatch measurement of select/poll/epoll per-call cost (design/select.md). Not a test.
// Usage: dotnet run -c Release --project bench/SelectBench [N ...]
using System.Diagnostics;
using System.Reflection;
using DotNetty.Transport.Channels;
using Netty.PySocket.Select;
using Netty.PySocket.Socket;

int[] sizes = args.Length > 0 ? args.Select(int.Parse).ToArray() : [10, 100, 1000, 5000];
PropertyInfo coreProp = typeof(SocketObject).GetProperty("Core", BindingFlags.NonPublic | BindingFlags.Instance)!;
Console.WriteLine("N\tselect0_idle_us\tselect0_1ready_us\tselect_wake_us\tpoll0_idle_us\tpoll0_1ready_us\tepoll0_idle_us\tepoll0_1ready_us\tpipeline_addremove_us");
foreach (int n in sizes)
{
    var l = new SocketObject();
    l.Bind(new object[] { "127.0.0.1", 0 });
    l.Listen(128);
    object[] addr = ["127.0.0.1", (int)l.GetSockName()[1]];
    var clients = new SocketObject[n];
    var servers = new SocketObject[n];
    for (int i = 0; i < n; i++)
    {
        clients[i] = new SocketObject();
        clients[i].Connect(addr);
        servers[i] = l.AcceptSocket(out _);
    }
    object?[] rlist = servers.Cast<object?>().ToArray();
    int[] fds = servers.Select(s => s.Fileno()).ToArray();
    int iters = Math.Max(20, 200_000 / n);

    double selIdle = Time(iters, () => SelectModule.SelectFds(fds, [], [], 0));
    clients[n / 2].SendAll("x"u8);
    SelectModule.Select([servers[n / 2]], [], [], 10);
    double selOne = Time(iters, () => SelectModule.SelectFds(fds, [], [], 0));
    servers[n / 2].Recv(1);

    // A select that has to wait: watch all N, another thread makes one readable, select wakes and returns.
    var rnd = new Random(1);
    int wakeIters = Math.Max(20, Math.Min(500, 50_000 / n));
    var buf = new byte[4];
    var sw = new Stopwatch();
    for (int i = 0; i < wakeIters + 5; i++)
    {
        int k = rnd.Next(n);
        if (i == 5) sw.Start();
        var t = Task.Run(() => SelectModule.SelectFds(fds, [], [], 10));
        while (WatcherCount(servers[k]) == 0) Thread.Yield();
        clients[k].Send("x"u8);
        var r = t.Result;
        if (r.Readable.Length != 1) throw new Exception("bad");
        servers[k].RecvInto(buf);
    }
    sw.Stop();
    double selWake = sw.Elapsed.TotalMicroseconds / wakeIters;

    var p = SelectModule.Poll();
    foreach (var s in servers) p.Register(s, PollEvents.POLLIN);
    double pollIdle = Time(iters * 10, () => p.Poll(0));
    clients[n / 2].SendAll("x"u8);
    SelectModule.Select([servers[n / 2]], [], [], 10);
    double pollOne = Time(iters * 10, () => p.Poll(0));
    servers[n / 2].Recv(1);

    var ep = SelectModule.Epoll();
    foreach (var s in servers) ep.Register(s, PollEvents.EPOLLIN);
    double epIdle = Time(iters * 10, () => ep.Poll(0));
    clients[n / 2].SendAll("x"u8);
    SelectModule.Select([servers[n / 2]], [], [], 10);
    double epOne = Time(iters * 10, () => ep.Poll(0));
    servers[n / 2].Recv(1);
    ep.Close();

    // The doc's design: AddFirst a handler on every channel, wait until it is live (handlerAdded ran on the event loop),
    // then remove it and wait for handlerRemoved: per select call.
    var channels = servers.Select(ChannelOf).ToArray();
    int pipeIters = Math.Max(3, Math.Min(100, 20_000 / n));
    double pipe = Time(pipeIters, () =>
    {
        var handlers = new Probe[n];
        for (int i = 0; i < n; i++)
        {
            handlers[i] = new Probe();
            channels[i].Pipeline.AddFirst("select-probe", handlers[i]);
        }
        foreach (var h in handlers) h.Added.Task.Wait();
        for (int i = 0; i < n; i++) channels[i].Pipeline.Remove(handlers[i]);
        foreach (var h in handlers) h.Removed.Task.Wait();
    });

    Console.WriteLine($"{n}\t{selIdle:F1}\t{selOne:F1}\t{selWake:F1}\t{pollIdle:F2}\t{pollOne:F2}\t{epIdle:F2}\t{epOne:F2}\t{pipe:F1}");
    foreach (var s in clients) s.Close();
    foreach (var s in servers) s.Close();
    l.Close();
}

int WatcherCount(SocketObject s)
{
    object core = coreProp.GetValue(s)!;
    return (int)core.GetType().GetProperty("WatcherCount", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(core)!;
}

IChannel ChannelOf(SocketObject s)
{
    object core = coreProp.GetValue(s)!;
    return (IChannel)core.GetType().GetProperty("Channel", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(core)!;
}

static double Time(int iters, Action a)
{
    for (int i = 0; i < Math.Min(iters, 50); i++) a();
    var sw = Stopwatch.StartNew();
    for (int i = 0; i < iters; i++) a();
    return sw.Elapsed.TotalMicroseconds / iters;
}

sealed class Probe : ChannelHandlerAdapter
{
    public readonly TaskCompletionSource Added = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public readonly TaskCompletionSource Removed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public override void HandlerAdded(IChannelHandlerContext context) => Added.TrySetResult();
    public override void HandlerRemoved(IChannelHandlerContext context) => Removed.TrySetResult();
}
