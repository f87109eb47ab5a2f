using System.Diagnostics;
using DotNetty.Transport.Channels;
using Netty.PySocket.Select;
using Netty.PySocket.Socket;

namespace Netty.PySocket.Tests.Select;

internal static class SelectHelpers
{
    /// <summary>Handler names of a socket's channel pipeline, in order.</summary>
    public static string[] PipelineNames(SocketObject s)
    {
        IChannelPipeline p = s.Core.Channel!.Pipeline;
        return p.Select(h => p.Context(h)?.Name ?? h.GetType().Name).ToArray();
    }

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds, yielding; for waiting on another thread's progress, never as a sleep.</summary>
    public static void SpinUntil(Func<bool> condition, string what)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            if (sw.Elapsed > TimeSpan.FromSeconds(10)) throw new TimeoutException(what);
            Thread.Yield();
        }
    }

    /// <summary>Polls until the reported events for <paramref name="fd"/> contain <paramref name="bits"/> (each call waits for a change).</summary>
    public static int PollUntil(PollObject p, int fd, int bits)
    {
        var sw = Stopwatch.StartNew();
        int last = 0;
        while (sw.Elapsed < TimeSpan.FromSeconds(10))
        {
            foreach ((int f, int ev) in p.Poll(1000))
            {
                if (f == fd) last = ev;
            }
            if ((last & bits) == bits) return last;
        }
        throw new TimeoutException($"events 0x{last:x} never had 0x{bits:x}");
    }

    public static void CloseAll(params SocketObject?[] sockets)
    {
        foreach (SocketObject? s in sockets)
        {
            s?.Close();
        }
    }
}

/// <summary>
/// These tests close sockets and then use their descriptor numbers (POLLNVAL, EBADF). The OS hands a closed
/// number to the next socket at once, so tests creating sockets in parallel could take it: run them alone.
/// </summary>
[CollectionDefinition(nameof(DescriptorNumbers), DisableParallelization = true)]
public class DescriptorNumbers
{
}
