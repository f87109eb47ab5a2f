using System.Diagnostics;
using Netty.PySocket.Runtime;
using Netty.PySocket.Socket;

namespace Netty.PySocket.Tests.Socket;

/// <summary>Runs alone: it counts process-wide sockets and descriptors.</summary>
[CollectionDefinition(nameof(LeakTests), DisableParallelization = true)]
public class LeakCollection
{
}

[Collection(nameof(LeakTests))]
public class LeakTests
{
    [Fact]
    public void ThousandAcceptCyclesLeakNoSocketsDescriptorsOrThreads()
    {
        var l = Loopback.Listener(backlog: 64);
        int port = Loopback.Port(l);
        // Warm up the event loop group so its threads are counted in the baseline.
        Cycle(l, port);
        WaitForClosed(baselineSockets: 1);
        int sockets = PySocketRuntime.OpenSocketCount;
        int fds = FdRegistry.Count;
        int threads = NonPoolThreads();

        for (int i = 0; i < 1000; i++)
        {
            Cycle(l, port);
        }

        WaitForClosed(sockets);
        // Process-wide counts: sockets of other test classes may finish closing meanwhile (fewer is fine);
        // a leak here would add up to 2,000.
        Assert.InRange(PySocketRuntime.OpenSocketCount, 0, sockets);
        Assert.InRange(FdRegistry.Count, 0, fds);
        // The .NET thread pool grows and shrinks with the whole test run's load; our own threads must not grow at all.
        Assert.InRange(NonPoolThreads(), 0, threads + 2);
        l.Close();
    }

    static int NonPoolThreads() => Process.GetCurrentProcess().Threads.Count - ThreadPool.ThreadCount;

    static void Cycle(SocketObject l, int port)
    {
        var c = new SocketObject();
        c.Connect(new object[] { "127.0.0.1", port });
        var s = l.AcceptSocket(out _);
        c.SendAll("x"u8);
        Assert.Equal("x"u8.ToArray(), s.Recv(1));
        c.Close();
        Assert.Empty(s.Recv(1));
        s.Close();
    }

    static void WaitForClosed(int baselineSockets)
    {
        // Close completes asynchronously on the event loop; the registry count is the event we wait for.
        var sw = Stopwatch.StartNew();
        while (PySocketRuntime.OpenSocketCount > baselineSockets && sw.Elapsed < TimeSpan.FromSeconds(10))
        {
            Thread.Sleep(10);
        }
    }
}
