using Microsoft.Extensions.Logging;

namespace Netty.PySocket.Runtime;

/// <summary>Every log line the library writes, in one place (as Kestrel's SocketsLog).</summary>
internal static partial class SocketsLog
{
    static ILogger? logger;

    static ILogger Logger => logger ??= PySocketRuntime.LoggerFactory.CreateLogger("Netty.PySocket");

    internal static void Reset() => logger = null;

    [LoggerMessage(1, LogLevel.Debug, "Event loop group created with {Threads} threads.")]
    static partial void GroupCreated(ILogger logger, int threads);
    internal static void GroupCreated(int threads) => GroupCreated(Logger, threads);

    [LoggerMessage(2, LogLevel.Debug, "Event loop group shut down.")]
    static partial void GroupShutdown(ILogger logger);
    internal static void GroupShutdown() => GroupShutdown(Logger);

    [LoggerMessage(3, LogLevel.Debug, "fd {Fd}: read paused at {Buffered} buffered bytes.")]
    static partial void ReadPaused(ILogger logger, int fd, long buffered);
    internal static void ReadPaused(int fd, long buffered) { if (Logger.IsEnabled(LogLevel.Debug)) ReadPaused(Logger, fd, buffered); }

    [LoggerMessage(4, LogLevel.Debug, "fd {Fd}: read resumed at {Buffered} buffered bytes.")]
    static partial void ReadResumed(ILogger logger, int fd, long buffered);
    internal static void ReadResumed(int fd, long buffered) { if (Logger.IsEnabled(LogLevel.Debug)) ReadResumed(Logger, fd, buffered); }

    [LoggerMessage(5, LogLevel.Debug, "fd {Fd}: channel error {Error}.")]
    static partial void ChannelError(ILogger logger, int fd, string error);
    internal static void ChannelError(int fd, Exception ex) { if (Logger.IsEnabled(LogLevel.Debug)) ChannelError(Logger, fd, ex.Message); }

    [LoggerMessage(6, LogLevel.Warning, "fd {Fd}: close after flush failed: {Error}.")]
    static partial void CloseFailed(ILogger logger, int fd, string error);
    internal static void CloseFailed(int fd, Exception ex) => CloseFailed(Logger, fd, ex.Message);

    [LoggerMessage(7, LogLevel.Debug, "Listening fd {Fd}: accept paused with {Queued} children queued (backlog).")]
    static partial void AcceptPaused(ILogger logger, int fd, int queued);
    internal static void AcceptPaused(int fd, int queued) { if (Logger.IsEnabled(LogLevel.Debug)) AcceptPaused(Logger, fd, queued); }

    [LoggerMessage(8, LogLevel.Warning, "Shutdown: closing a socket failed: {Error}.")]
    static partial void ShutdownFailed(ILogger logger, string error);
    internal static void ShutdownFailed(Exception ex) => ShutdownFailed(Logger, ex.Message);

    [LoggerMessage(9, LogLevel.Debug, "fd {Fd}: {Dropped} datagrams dropped, receive queue full (SO_RCVBUF); {Total} in all.")]
    static partial void DatagramsDropped(ILogger logger, int fd, uint dropped, uint total);
    internal static void DatagramsDropped(int fd, uint dropped, uint total) { if (Logger.IsEnabled(LogLevel.Debug)) DatagramsDropped(Logger, fd, dropped, total); }

    [LoggerMessage(10, LogLevel.Warning, "fd {Fd}: handling what the kernel watcher saw failed: {Error}.")]
    static partial void KernelWatchFailed(ILogger logger, int fd, string error);
    internal static void KernelWatchFailed(int fd, Exception ex) => KernelWatchFailed(Logger, fd, ex.Message);

    /// <summary>Whether debug lines are written (callers skip gathering what only a debug line needs).</summary>
    internal static bool DebugEnabled => Logger.IsEnabled(LogLevel.Debug);
}
