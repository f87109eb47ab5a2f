using System.Collections.Concurrent;
using DotNetty.Transport.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Netty.PySocket.Socket;

namespace Netty.PySocket.Runtime;

/// <summary>
/// Process-wide state: the one shared event loop group, the set of open sockets, logging and the
/// blocking-wait hook. The doc's "common NioEventLoopGroup ... shut down by sys.registerCloser".
/// </summary>
public static class PySocketRuntime
{
    static readonly object Gate = new();
    static MultithreadEventLoopGroup? group;
    static ILoggerFactory loggerFactory = NullLoggerFactory.Instance;
    static volatile bool shutDown;
    static TimeSpan blockingWaitSlice = TimeSpan.FromMilliseconds(50);
    internal static readonly ConcurrentDictionary<Netty.PySocket.Socket.IKernelSocket, byte> OpenSockets = new();

    /// <summary>The logger factory the library logs through; silent (<see cref="NullLoggerFactory"/>) by default.</summary>
    public static ILoggerFactory LoggerFactory
    {
        get => loggerFactory;
        set
        {
            loggerFactory = value ?? NullLoggerFactory.Instance;
            SocketsLog.Reset();
        }
    }

    /// <summary>
    /// Called every <see cref="BlockingWaitSlice"/> by a thread blocked in a library call (recv, accept, sendall,
    /// connect, select...). A host uses it to run its signal handlers (PEP 475); whatever it throws propagates out
    /// of the blocking call unchanged. Data arriving wakes the waiter at once, not at the next slice.
    /// </summary>
    public static Action? BlockingWaitHook { get; set; }

    /// <summary>How often <see cref="BlockingWaitHook"/> runs while a thread waits (default 50 ms).</summary>
    public static TimeSpan BlockingWaitSlice
    {
        get => blockingWaitSlice;
        set => blockingWaitSlice = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    /// <summary>
    /// For hosts whose callers must not run again once the process is exiting (an embedded interpreter being torn
    /// down: a thread returning into it then crashes the process). When set, threads blocked in the library at
    /// <see cref="Shutdown"/> stay blocked until the process ends, as CPython's daemon threads do at exit, instead of
    /// returning with EBADF. Off by default.
    /// </summary>
    public static bool FreezeBlockedCallersOnShutdown { get; set; }

    /// <summary>Number of event loop threads; read once, when the group is first created.</summary>
    public static int EventLoopThreads { get; set; } = Math.Max(1, Environment.ProcessorCount);

    /// <summary>True once <see cref="Shutdown"/> ran; every socket operation then fails with EBADF.</summary>
    public static bool IsShutDown => shutDown;

    /// <summary>The shared group, created on first use.</summary>
    internal static IEventLoopGroup Group
    {
        get
        {
            MultithreadEventLoopGroup? g = Volatile.Read(ref group);
            if (g is not null) return g;
            lock (Gate)
            {
                if (group is null)
                {
                    group = new MultithreadEventLoopGroup(EventLoopThreads);
                    ProcessExitCloser.EnsureRegistered();
                    SocketsLog.GroupCreated(EventLoopThreads);
                }
                return group;
            }
        }
    }

    /// <summary>The most <see cref="Shutdown"/> waits for the event loops to release the closed descriptors.</summary>
    static readonly TimeSpan ShutdownCloseWait = TimeSpan.FromSeconds(1);

    /// <summary>How many sockets are open now (not yet closed); tests use it to prove nothing leaks.</summary>
    public static int OpenSocketCount => OpenSockets.Count;

    /// <summary>
    /// Closes every open socket (waking every blocked caller with EBADF) and shuts the event loop group down at
    /// once: zero quiet period, zero timeout. Not the graceful 15-second shutdown the doc rejects (DotNetty #239).
    /// A host calls this from its own exit path; the process-exit closer calls it too. Idempotent.
    /// </summary>
    public static void Shutdown()
    {
        MultithreadEventLoopGroup? g;
        lock (Gate)
        {
            if (shutDown) return;
            shutDown = true;
            g = group;
        }
        // Close everything first (each blocked caller wakes at once), then wait once for the event loops to release
        // the descriptors: one wait per socket made exit with 1,000 sockets take ~0.7 s on a loaded machine.
        var closing = new List<Task>();
        foreach (Netty.PySocket.Socket.IKernelSocket s in OpenSockets.Keys)
        {
            try
            {
                closing.Add(s.Abort());
            }
            catch (Exception ex)
            {
                SocketsLog.ShutdownFailed(ex);
            }
        }
        try
        {
            Task.WaitAll(closing.ToArray(), ShutdownCloseWait);
        }
        catch (AggregateException ex)
        {
            SocketsLog.ShutdownFailed(ex);
        }
        if (g is not null)
        {
            g.ShutdownGracefullyAsync(TimeSpan.Zero, TimeSpan.Zero);
            SocketsLog.GroupShutdown();
        }
    }
}
