using Netty.PySocket.Select;
using static Netty.PySocket.Select.PollEvents;

namespace Netty.PySocket.Socket;

/// <summary>
/// Readiness for select/poll/epoll: the level answer (what Linux's tcp_poll would report for this state) and the
/// watcher list fed by <see cref="ReadinessChanged"/>. Watchers sit behind every pipeline handler (they hear from
/// the core after <see cref="SocketHandler"/> has buffered the data), so a TLS handler placed before
/// <see cref="SocketHandler"/> would make them see decrypted readiness only.
/// </summary>
internal sealed partial class SocketCore : IPollable
{
    readonly object watcherGate = new();
    IReadinessWatcher[] watchers = [];
    bool dispatching;

    /// <summary>
    /// Linux's answer for a TCP socket in this state (checked against python3's poll on Linux 6.x):
    /// fresh = OUT|HUP; listening = IN when a child is queued, never OUT; connecting = nothing;
    /// failed connect = IN|OUT|HUP|RDHUP (+ERR until SO_ERROR is read); connected = IN with data, EOF, SHUT_RD
    /// or a pending error, RDHUP after EOF/SHUT_RD, OUT while sends would not block (or would fail at once),
    /// HUP when both directions are shut or the connection broke; closed = NVAL.
    /// </summary>
    public int PollMask(int interest = ~0)
    {
        if (Volatile.Read(ref callerReads)) HandReadsBackForReadiness();
        if (state == SocketState.Connecting) SettleIfKernelDid(); // as poll(2) would see it, not when the watcher does
        bool watchKernelRoom = false;
        int answer;
        lock (Sync)
        {
            answer = LevelUnderLock(interest, ref watchKernelRoom);
        }
        // Outside our lock; a watch added after the kernel made room still fires (epoll reports the level at once).
        if (watchKernelRoom) KernelWatcher.WatchWritable(this, PrimaryFd);
        return answer;
    }

    /// <summary>Under <see cref="Sync"/>: the level of <see cref="PollMask"/>; asks for a kernel watch when the send buffer is full.</summary>
    int LevelUnderLock(int interest, ref bool watchKernelRoom)
    {
        switch (state)
        {
            case SocketState.Closed:
                return POLLNVAL;
            case SocketState.Fresh:
                return POLLOUT | POLLWRNORM | POLLHUP;
            case SocketState.Listening:
                // While callers own the accepts the kernel's queue is the only one.
                return acceptQueue is { Count: > 0 } || (callerAccepts && KernelHasConnection()) ? POLLIN | POLLRDNORM : 0;
            case SocketState.Connecting:
                return 0;
            case SocketState.ConnectFailed:
                return POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM | POLLHUP | POLLRDHUP | (soError != 0 ? POLLERR : 0);
        }
        int mask = 0;
        bool inputShut = inputEof || shutRead;
        bool broken = writeError is not null;
        if (readBuffer.Count > 0 || inputShut || readError is not null || broken || tlsHandshakeNews) mask |= POLLIN | POLLRDNORM;
        if (inputShut || broken) mask |= POLLRDHUP;
        if (shutWrite || broken || channel is null) mask |= POLLOUT | POLLWRNORM;
        else if (channel.IsWritable)
        {
            // Bytes that bypassed us (os.sendfile on our descriptor: socket.sendfile) can fill the kernel's send
            // buffer while nothing of ours is queued: ask the kernel, as tcp_poll would answer, and have the
            // kernel watcher report when it drains (SendfileUsingSendfileTest.testWithTimeoutTriggeredSend).
            if ((interest & POLLOUT) == 0 || Volatile.Read(ref queuedWrites) != 0 || KernelHasRoom()) mask |= POLLOUT | POLLWRNORM;
            else watchKernelRoom = true;
        }
        if (broken || (inputShut && shutWrite)) mask |= POLLHUP;
        if (readError is not null || soError != 0) mask |= POLLERR;
        return mask;
    }

    /// <summary>Whether the kernel's send buffer has room; a failing poll counts as room (the write reports the error).</summary>
    bool KernelHasRoom() => LibC.PollNow(PrimaryFd, PollOut) is var revents && (revents < 0 || (revents & PollOut) != 0);

    /// <summary>The kernel watcher saw room in the send buffer again: readiness changed.</summary>
    internal void OnKernelWritable()
    {
        lock (Sync) Signal();
        NotifyReadiness();
    }

    public void AddWatcher(IReadinessWatcher watcher)
    {
        lock (watcherGate)
        {
            if (!dispatching)
            {
                ReadinessChanged += DispatchReadiness;
                dispatching = true;
            }
            IReadinessWatcher[] old = watchers;
            var next = new IReadinessWatcher[old.Length + 1];
            old.CopyTo(next, 0);
            next[old.Length] = watcher;
            Volatile.Write(ref watchers, next);
        }
        OnWatcherAdded();
    }

    public void RemoveWatcher(IReadinessWatcher watcher)
    {
        lock (watcherGate)
        {
            IReadinessWatcher[] old = watchers;
            int i = Array.IndexOf(old, watcher);
            if (i < 0) return;
            if (old.Length == 1)
            {
                Volatile.Write(ref watchers, []);
                return;
            }
            var next = new IReadinessWatcher[old.Length - 1];
            Array.Copy(old, 0, next, 0, i);
            Array.Copy(old, i + 1, next, i, old.Length - i - 1);
            Volatile.Write(ref watchers, next);
        }
    }

    /// <summary>Watchers registered now (tests: nothing is left behind).</summary>
    internal int WatcherCount => Volatile.Read(ref watchers).Length;

    void DispatchReadiness(SocketCore _)
    {
        foreach (IReadinessWatcher w in Volatile.Read(ref watchers))
        {
            w.ReadinessChanged(this);
        }
    }
}
