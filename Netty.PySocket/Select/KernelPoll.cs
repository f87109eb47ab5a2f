using System.Buffers;
using Netty.PySocket.Socket;

namespace Netty.PySocket.Select;

/// <summary>
/// select.poll's view of descriptors that are not our sockets: one poll(2) call with timeout 0 over all of them,
/// with each registration's own event mask, so revents (POLLNVAL for a closed number included) are the kernel's.
/// </summary>
internal sealed class KernelPoll : IKernelReadiness
{
    public unsafe void Collect(IReadOnlyList<ReadinessSet.Registration> registered, List<(ReadinessSet.Registration R, int Events)> hits, int max)
    {
        LibC.PollFd[] fds = ArrayPool<LibC.PollFd>.Shared.Rent(registered.Count);
        try
        {
            for (int i = 0; i < registered.Count; i++)
            {
                fds[i] = new LibC.PollFd { Fd = registered[i].Fd, Events = unchecked((short)registered[i].Events) };
            }
            int n;
            fixed (LibC.PollFd* p = fds)
            {
                n = LibC.Poll(p, (nuint)registered.Count, 0);
            }
            for (int i = 0; i < registered.Count && n > 0 && hits.Count < max; i++)
            {
                if (fds[i].Revents != 0) hits.Add((registered[i], (ushort)fds[i].Revents));
            }
        }
        finally
        {
            ArrayPool<LibC.PollFd>.Shared.Return(fds);
        }
    }
}
