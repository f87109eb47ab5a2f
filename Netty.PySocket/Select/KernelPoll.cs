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
        ReadinessSet.Registration[] asked = ArrayPool<ReadinessSet.Registration>.Shared.Rent(registered.Count);
        try
        {
            int count = 0;
            foreach (ReadinessSet.Registration r in registered)
            {
                if (r.Entry is not null) continue; // its number went to a socket of ours since: watched as one
                asked[count] = r;
                fds[count++] = new LibC.PollFd { Fd = r.Fd, Events = unchecked((short)r.Events) };
            }
            if (count == 0) return;
            int n;
            fixed (LibC.PollFd* p = fds)
            {
                n = LibC.Poll(p, (nuint)count, 0);
            }
            for (int i = 0; i < count && n > 0 && hits.Count < max; i++)
            {
                if (fds[i].Revents != 0) hits.Add((asked[i], (ushort)fds[i].Revents));
            }
        }
        finally
        {
            ArrayPool<LibC.PollFd>.Shared.Return(fds);
            ArrayPool<ReadinessSet.Registration>.Shared.Return(asked, clearArray: true);
        }
    }
}
