using Netty.PySocket.Socket;
using static Netty.PySocket.Select.PollEvents;

namespace Netty.PySocket.Select;

/// <summary>
/// A descriptor select() was given that is not one of our sockets (a pipe, a file, stdin, a socket made by other
/// code): its readiness is the kernel's, read with poll(2). Nothing notifies us of its changes, so a select that
/// watches one re-reads it in short slices (<see cref="SelectModule"/>). The doc's "selectable files" question,
/// answered for select().
/// </summary>
internal sealed class ForeignDescriptor : IPollable
{
    /// <summary>How often a waiting select re-reads foreign descriptors.</summary>
    internal const double PollSliceSeconds = 0.01;

    readonly int fd;

    public ForeignDescriptor(int fd) => this.fd = fd;

    public int PollMask(int interest = ~0) => Math.Max(LibC.PollNow(fd, POLLIN | POLLPRI | POLLOUT), 0);

    public bool CatchUpWithKernel() => false;

    public bool PullFromKernelNow() => false;

    public void AddWatcher(IReadinessWatcher watcher)
    {
    }

    public void RemoveWatcher(IReadinessWatcher watcher)
    {
    }
}
