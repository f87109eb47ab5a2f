using System.Runtime.InteropServices;
using Netty.PySocket.Errors;

namespace Netty.PySocket.Socket;

/// <summary>
/// Callers own a listening socket's accepts until something needs the event loop to accept (a select/poll/epoll
/// watcher): accept() is accept4(2) on the caller's thread, waiting in poll(2), as CPython's. Meanwhile the socket
/// engine has no accept pending, so the descriptor's O_NONBLOCK flag can follow the Python mode as a fresh socket's
/// does (test_socket's testSetBlocking on a listening socket). Once a watcher arrives the loop accepts for good and
/// the flag stays set, as the engine needs it. design/socketobject.md, "listen and accept".
/// </summary>
internal sealed partial class SocketCore
{
    bool callerAccepts;
    bool loopAcceptParked;
    int acceptorsInKernel;

    /// <summary>On the event loop, before the channel accepts: true when callers own the accepts (the loop parks).</summary>
    internal bool ParkLoopAccept()
    {
        lock (Sync)
        {
            if (!callerAccepts) return false;
            loopAcceptParked = true;
            return true;
        }
    }

    /// <summary>Under <see cref="Sync"/>: the event loop accepts from now on (the engine needs O_NONBLOCK).</summary>
    void EndCallerAccepts()
    {
        if (!callerAccepts) return;
        callerAccepts = false;
        LibC.SetNonBlocking(PrimaryFd, true);
        if (!loopAcceptParked || server is not { } srv) return;
        loopAcceptParked = false;
        srv.EventLoop.Execute(static s => ((PyTcpServerChannel)s!).ResumeAccept(), srv);
    }

    bool KernelHasConnection() => LibC.PollNow(PrimaryFd, PollIn) is > 0 and var revents && (revents & PollIn) != 0;

    /// <summary>
    /// accept() while callers own the accepts: accept4(2), waiting in poll(2) as the deadline allows (a close wakes
    /// it). Null when a watcher took the accepts over meanwhile (the caller then takes the queued path).
    /// </summary>
    SocketCore? AcceptFromKernel(in Deadline deadline)
    {
        int wake = deadline.IsNonBlocking ? -1 : WakeDescriptor.Rent();
        try
        {
            lock (Sync)
            {
                if (!callerAccepts) return null;
                if (wake >= 0) AddKernelWaiter(wake);
            }
            while (true)
            {
                int fd = Accept4(out int errno);
                if (fd >= 0) return AdoptAccepted(Adopt(fd));
                lock (Sync)
                {
                    if (state == SocketState.Closed) throw BadFd();
                    if (!callerAccepts) return null;
                }
                if (errno != Errno.EAGAIN && errno != Errno.EINTR) throw PySocketException.OSError(errno);
                if (errno == Errno.EAGAIN && !WaitInKernel(PrimaryFd, PollIn, wake, deadline))
                {
                    lock (Sync)
                    {
                        if (state == SocketState.Closed) throw BadFd();
                    }
                    throw deadline.IsNonBlocking ? PySocketException.WouldBlock() : PySocketException.Timeout();
                }
            }
        }
        finally
        {
            if (wake >= 0) RemoveKernelWaiter(wake);
        }
    }

    /// <summary>
    /// accept4(2). On a descriptor in blocking mode it returns at once after poll(2) saw a connection, unless another
    /// thread took that one first: then it sleeps in the kernel as CPython's would, and a close wakes it with
    /// shutdown(SHUT_RD) (<see cref="WakeKernelAcceptors"/>).
    /// </summary>
    unsafe int Accept4(out int errno)
    {
        lock (Sync) acceptorsInKernel++;
        try
        {
            int fd = LibC.Accept4(PrimaryFd, null, null, LibC.SOCK_CLOEXEC);
            errno = fd >= 0 ? 0 : Marshal.GetLastPInvokeError();
            return fd;
        }
        finally
        {
            lock (Sync) acceptorsInKernel--;
        }
    }

    /// <summary>Under <see cref="Sync"/>, closing: a caller asleep in accept4(2) returns (Linux: shutdown stops listening).</summary>
    void WakeKernelAcceptors()
    {
        if (acceptorsInKernel > 0) LibC.Shutdown(PrimaryFd, 0 /* SHUT_RD */);
    }
}
