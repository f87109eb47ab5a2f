using System.Diagnostics;
using System.Numerics;
using Netty.PySocket.Errors;
using Netty.PySocket.Net;
using Netty.PySocket.Select;
using Netty.PySocket.Socket;
using Netty.PySocket.Tests.Socket;
using static Netty.PySocket.Tests.Select.SelectHelpers;

namespace Netty.PySocket.Tests.Select;

[Collection(nameof(DescriptorNumbers))]
public class SelectTests
{
    internal sealed class FilenoHolder(int fd) : ISelectable
    {
        public int Fileno() => fd;
    }

    [Fact]
    public void FreshSocketIsReadableAndWritableAsOnLinux()
    {
        // python3 on Linux: select([s],[s],[s],0) on a fresh TCP socket -> ([s], [s], []) (tcp_poll: OUT|HUP).
        var s = new SocketObject();
        try
        {
            var r = SelectModule.Select([s], [s], [s], 0);
            Assert.Same(s, Assert.Single(r.Readable));
            Assert.Same(s, Assert.Single(r.Writable));
            Assert.Empty(r.Exceptional);
        }
        finally
        {
            s.Close();
        }
    }

    [Fact]
    public void ListenerIsNeverWritableAndReadableOnceAChildIsQueued()
    {
        var l = Loopback.Listener();
        SocketObject? c = null;
        try
        {
            var idle = SelectModule.Select([l], [l], [l], 0);
            Assert.Empty(idle.Readable);
            Assert.Empty(idle.Writable);
            c = new SocketObject();
            c.Connect(new object[] { "127.0.0.1", Loopback.Port(l) });
            var r = SelectModule.Select([l], [l], [], 10);
            Assert.Same(l, Assert.Single(r.Readable));
            Assert.Empty(r.Writable);
        }
        finally
        {
            CloseAll(l, c);
        }
    }

    [Fact]
    public void ConnectedSocketWritableThenReadableWhenDataArrives()
    {
        var (c, s) = Loopback.Pair();
        try
        {
            var idle = SelectModule.Select([s], [s], [s], 0);
            Assert.Empty(idle.Readable);
            Assert.Same(s, Assert.Single(idle.Writable));
            var waiter = Task.Run(() => SelectModule.Select([s], [], [], 10));
            c.SendAll("x"u8);
            var r = waiter.Result;
            Assert.Same(s, Assert.Single(r.Readable));
        }
        finally
        {
            CloseAll(c, s);
        }
    }

    [Fact]
    public void BufferedDataIsReportedAtOnceAndOnEveryCall()
    {
        var (c, s) = Loopback.Pair();
        try
        {
            c.SendAll("abc"u8);
            Assert.Single(SelectModule.Select([s], [], [], 10).Readable); // waits for the data to arrive
            SpinUntil(() => s.Core.BufferedBytes == 3, "all three bytes buffered");
            for (int i = 0; i < 3; i++)
            {
                // Level-triggered: no new Netty event, still readable, without waiting.
                Assert.Same(s, Assert.Single(SelectModule.Select([s], [], [], 0).Readable));
            }
            Assert.Equal("abc"u8.ToArray(), s.Recv(10));
            Assert.Empty(SelectModule.Select([s], [], [], 0).Readable);
        }
        finally
        {
            CloseAll(c, s);
        }
    }

    [Fact]
    public void ResultKeepsInputOrderIdentityAndDuplicates()
    {
        var (c1, s1) = Loopback.Pair();
        var (c2, s2) = Loopback.Pair();
        try
        {
            c1.SendAll("1"u8);
            c2.SendAll("2"u8);
            SelectModule.Select([s1], [], [], 10);
            SelectModule.Select([s2], [], [], 10);
            var holder = new FilenoHolder(s1.Fileno());
            object fdInt = s2.Fileno();
            // python3: select([a, a, a.fileno()], ...) returns [a, a, fd]: same objects, input order, duplicates kept.
            object?[] rlist = [s2, holder, s1, fdInt, s1, c1];
            var r = SelectModule.Select(rlist, [c2, s1], [], 0);
            Assert.Equal(5, r.Readable.Count);
            Assert.Same(s2, r.Readable[0]);
            Assert.Same(holder, r.Readable[1]);
            Assert.Same(s1, r.Readable[2]);
            Assert.Same(fdInt, r.Readable[3]);
            Assert.Same(s1, r.Readable[4]);
            Assert.Equal(new object[] { c2, s1 }, r.Writable);

            SelectIndices idx = SelectModule.SelectFds([s2.Fileno(), c1.Fileno(), s1.Fileno(), s2.Fileno()], [], [], 0);
            Assert.Equal(new[] { 0, 2, 3 }, idx.Readable);
        }
        finally
        {
            CloseAll(c1, s1, c2, s2);
        }
    }

    [Fact]
    public void EofAndHalfCloseAreReadable()
    {
        var (c, s) = Loopback.Pair();
        try
        {
            c.Shutdown(SocketConstants.SHUT_WR);
            Assert.Same(s, Assert.Single(SelectModule.Select([s], [], [], 10).Readable));
            Assert.Empty(s.Recv(10));
            // The half-closed side still writes, and its peer still reads.
            Assert.Same(s, Assert.Single(SelectModule.Select([], [s], [], 0).Writable));
            Assert.Empty(SelectModule.Select([c], [], [], 0).Readable);
            s.SendAll("back"u8);
            Assert.Same(c, Assert.Single(SelectModule.Select([c], [], [], 10).Readable));
            Assert.Equal("back"u8.ToArray(), Loopback.ReadExactly(c, 4));
        }
        finally
        {
            CloseAll(c, s);
        }
    }

    [Fact]
    public void NonBlockingConnectBecomesWritable()
    {
        var l = Loopback.Listener();
        var c = new SocketObject();
        SocketObject? s = null;
        try
        {
            c.SetBlocking(false);
            int rc = c.ConnectEx(new object[] { "127.0.0.1", Loopback.Port(l) });
            Assert.True(rc == 0 || rc == Errno.EINPROGRESS, $"connect_ex {rc}");
            var r = SelectModule.Select([], [c], [], 10);
            Assert.Same(c, Assert.Single(r.Writable));
            Assert.Equal(0, Convert.ToInt32(c.GetSockOpt(SocketConstants.SOL_SOCKET, SocketConstants.SO_ERROR)));
            s = l.AcceptSocket(out _);
        }
        finally
        {
            CloseAll(c, s, l);
        }
    }

    [Fact]
    public void FailedNonBlockingConnectIsWritableAndSoErrorTells()
    {
        int port;
        using (var tmp = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp))
        {
            tmp.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
            port = ((System.Net.IPEndPoint)tmp.LocalEndPoint!).Port;
        }
        var c = new SocketObject();
        try
        {
            c.SetBlocking(false);
            c.ConnectEx(new object[] { "127.0.0.1", port });
            var r = SelectModule.Select([c], [c], [], 10);
            Assert.Same(c, Assert.Single(r.Writable));
            Assert.Same(c, Assert.Single(r.Readable)); // Linux: a failed connect is IN|OUT|ERR|HUP
            Assert.Equal(Errno.ECONNREFUSED, Convert.ToInt32(c.GetSockOpt(SocketConstants.SOL_SOCKET, SocketConstants.SO_ERROR)));
        }
        finally
        {
            c.Close();
        }
    }

    [Fact]
    public void TimeoutReturnsThreeEmptyListsAfterTheTimeout()
    {
        var (c, s) = Loopback.Pair();
        try
        {
            var sw = Stopwatch.StartNew();
            var r = SelectModule.Select([s], [], [s], 0.05);
            Assert.True(sw.Elapsed >= TimeSpan.FromMilliseconds(45), sw.Elapsed.ToString());
            Assert.Empty(r.Readable);
            Assert.Empty(r.Writable);
            Assert.Empty(r.Exceptional);
            Assert.Equal(0, s.Core.WatcherCount);
            // Nothing watched at all: sleeps for the timeout, as CPython.
            sw.Restart();
            SelectModule.Select([], [], [], 0.02);
            Assert.True(sw.Elapsed >= TimeSpan.FromMilliseconds(15));
        }
        finally
        {
            CloseAll(c, s);
        }
    }

    [Fact]
    public void BadInputRaisesAsCPython()
    {
        var s = new SocketObject();
        s.Close();
        // Messages checked against python3 3.11 on this machine.
        AssertError(PyErrorKind.ValueError, "file descriptor cannot be a negative integer (-1)", () => SelectModule.Select([-1], [], [], 0));
        AssertError(PyErrorKind.ValueError, "file descriptor cannot be a negative integer (-1)", () => SelectModule.Select([s], [], [], 0));
        AssertError(PyErrorKind.ValueError, "file descriptor cannot be a negative integer (-5)", () => SelectModule.Select([], [new FilenoHolder(-5)], [], 0));
        AssertError(PyErrorKind.TypeError, "argument must be an int, or have a fileno() method.", () => SelectModule.Select(["x"], [], [], 0));
        AssertError(PyErrorKind.OverflowError, "Python int too large to convert to C int", () => SelectModule.Select([1L << 40], [], [], 0));
        AssertError(PyErrorKind.OverflowError, "Python int too large to convert to C int", () => SelectModule.Select([BigInteger.Pow(2, 70)], [], [], 0));
        AssertError(PyErrorKind.ValueError, "timeout must be non-negative", () => SelectModule.Select([], [], [], -1));
        AssertError(PyErrorKind.ValueError, "timeout must be non-negative", () => SelectModule.Select([], [], [], -0.5));
        AssertError(PyErrorKind.ValueError, "Invalid value NaN (not a number)", () => SelectModule.Select([], [], [], double.NaN));
        AssertError(PyErrorKind.OverflowError, "timestamp out of range for platform time_t", () => SelectModule.Select([], [], [], double.PositiveInfinity));
        AssertError(PyErrorKind.OverflowError, "timestamp out of range for platform time_t", () => SelectModule.Select([], [], [], 1e10));
        AssertError(PyErrorKind.OverflowError, "timestamp too large to convert to C _PyTime_t", () => SelectModule.Select([], [], [], BigInteger.Pow(10, 20)));
        AssertError(PyErrorKind.TypeError, "timeout must be a float or None", () => SelectModule.Select([], [], [], "1"));
        // The timeout is parsed before the lists, as in CPython.
        AssertError(PyErrorKind.ValueError, "timeout must be non-negative", () => SelectModule.Select(["x"], [], [], -1));
        // A descriptor number that is not open (this collection runs alone, so nobody reuses it meanwhile).
        string path = Path.GetTempFileName();
        int closedFd;
        using (var file = new FileStream(path, FileMode.Open))
        {
            closedFd = (int)file.SafeFileHandle.DangerousGetHandle();
        }
        File.Delete(path);
        var e = Assert.Throws<PySocketException>(() => SelectModule.Select([closedFd], [], [], 0));
        Assert.Equal(Errno.EBADF, e.Errno);
        e = Assert.Throws<PySocketException>(() => SelectModule.SelectFds([closedFd], [], [], 0));
        Assert.Equal(Errno.EBADF, e.Errno);
        AssertError(PyErrorKind.ValueError, "file descriptor cannot be a negative integer (-3)", () => SelectModule.SelectFds([], [-3], [], 0));
    }

    internal static void AssertError(PyErrorKind kind, string message, Action action)
    {
        var e = Assert.Throws<PySocketException>(action);
        Assert.Equal(kind, e.Kind);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void CloseFromAnotherThreadWakesSelectWhichReportsTheSocket()
    {
        var (c, s) = Loopback.Pair();
        try
        {
            int fd = s.Fileno();
            SocketCore core = s.Core;
            var waiter = Task.Run(() => SelectModule.Select([fd], [], [], null));
            SpinUntil(() => core.WatcherCount > 0, "select to start waiting");
            s.Close();
            Assert.True(waiter.Wait(TimeSpan.FromSeconds(10)), "select still asleep after close");
            Assert.Equal(fd, Assert.Single(waiter.Result.Readable));
            Assert.Equal(0, core.WatcherCount);
        }
        finally
        {
            CloseAll(c, s);
        }
    }

    [Fact]
    public void ThousandConnectedPairsOneBecomesReadable()
    {
        const int N = 1000;
        var l = Loopback.Listener(backlog: 128);
        var clients = new SocketObject[N];
        var servers = new SocketObject[N];
        try
        {
            object[] addr = ["127.0.0.1", Loopback.Port(l)];
            for (int i = 0; i < N; i++)
            {
                clients[i] = new SocketObject();
                clients[i].Connect(addr);
                servers[i] = l.AcceptSocket(out _);
            }
            string[] before = PipelineNames(servers[0]);
            object?[] rlist = servers.Cast<object?>().ToArray();
            Assert.Empty(SelectModule.Select(rlist, [], [], 0).Readable);
            const int chosen = 617;
            var waiter = Task.Run(() => SelectModule.Select(rlist, [], [], 10));
            clients[chosen].SendAll("!"u8);
            var r = waiter.Result;
            Assert.Same(servers[chosen], Assert.Single(r.Readable));
            Assert.Equal(before, PipelineNames(servers[0]));
            Assert.All(servers, x => Assert.Equal(0, x.Core.WatcherCount));
        }
        finally
        {
            CloseAll(clients);
            CloseAll(servers);
            l.Close();
        }
    }

    [Fact]
    public void TenThousandSelectsRacingWritersMissNothingAndLeaveNoHandler()
    {
        const int Pairs = 4;
        const int Rounds = 10_000;
        var pairs = Enumerable.Range(0, Pairs).Select(_ => Loopback.Pair()).ToArray();
        string[][] before = pairs.Select(p => PipelineNames(p.Server)).ToArray();
        string[][] beforeClient = pairs.Select(p => PipelineNames(p.Client)).ToArray();
        Assert.All(before, names => Assert.Contains(SocketHandler.Name, names));
        object?[] rlist = pairs.Select(p => (object?)p.Server).ToArray();
        using var consumed = new SemaphoreSlim(0);
        var rng = new Random(12345);
        int[] targets = Enumerable.Range(0, Rounds).Select(_ => rng.Next(Pairs)).ToArray();
        try
        {
            // The writer sends one byte to a random pair while the reader is somewhere in select (check, watch, wait).
            var writer = Task.Run(() =>
            {
                for (int i = 0; i < Rounds; i++)
                {
                    pairs[targets[i]].Client.Send("x"u8);
                    if (!consumed.Wait(TimeSpan.FromSeconds(10))) throw new TimeoutException($"reader stuck at round {i}");
                }
            });
            var buf = new byte[16];
            for (int i = 0; i < Rounds; i++)
            {
                var r = SelectModule.Select(rlist, [], [], 10);
                var ready = Assert.Single(r.Readable);
                Assert.Same(pairs[targets[i]].Server, ready);
                Assert.Equal(1, ((SocketObject)ready!).RecvInto(buf));
                consumed.Release();
            }
            Assert.True(writer.Wait(TimeSpan.FromSeconds(10)));
            for (int p = 0; p < Pairs; p++)
            {
                Assert.Equal(before[p], PipelineNames(pairs[p].Server));
                Assert.Equal(beforeClient[p], PipelineNames(pairs[p].Client));
                Assert.Equal(0, pairs[p].Server.Core.WatcherCount);
            }
        }
        finally
        {
            foreach (var (c, s) in pairs)
            {
                CloseAll(c, s);
            }
        }
    }

    [Fact]
    public void PipesAndFilesAreSelectableAlongsideSockets()
    {
        using var pipe = new System.IO.Pipes.AnonymousPipeServerStream(System.IO.Pipes.PipeDirection.Out);
        using var reader = new System.IO.Pipes.AnonymousPipeClientStream(System.IO.Pipes.PipeDirection.In, pipe.ClientSafePipeHandle);
        int rfd = (int)reader.SafePipeHandle.DangerousGetHandle();
        int wfd = (int)pipe.SafePipeHandle.DangerousGetHandle();
        var (c, s) = Loopback.Pair();
        try
        {
            var r = SelectModule.Select([rfd, s], [wfd], [], 0);
            Assert.Empty(r.Readable);
            Assert.Equal([(object?)wfd], r.Writable);
            // A select that waits on a pipe and a socket wakes when the pipe gets data.
            var waiter = Task.Run(() => SelectModule.Select([rfd, s], [], [], 10));
            pipe.WriteByte(42);
            pipe.Flush();
            Assert.True(waiter.Wait(TimeSpan.FromSeconds(5)), "select did not wake for the pipe");
            Assert.Equal([(object?)rfd], waiter.Result.Readable);
        }
        finally
        {
            CloseAll(c, s);
        }
    }
}
