using Netty.PySocket.Errors;
using Netty.PySocket.Runtime;

namespace Netty.PySocket.Socket;

internal sealed partial class SocketCore
{
    /// <summary>Inbound bytes buffered before reading from the network pauses (AutoRead off).</summary>
    internal static int ReadHighWaterMark = 256 * 1024;
    /// <summary>Reading resumes once Python has drained the buffer below this.</summary>
    internal static int ReadLowWaterMark = 64 * 1024;

    readonly ReadBuffer readBuffer = new();
    bool readPaused;
    bool inputEof;
    bool shutRead;
    PySocketException? readError;

    /// <summary>recv_into(): copies buffered bytes into <paramref name="destination"/>, waiting as the deadline allows.</summary>
    internal int Receive(Span<byte> destination, bool peek, in Deadline deadline)
    {
        lock (Sync)
        {
            if (!AwaitData(deadline, destination.Length == 0)) return 0;
            int n = readBuffer.CopyTo(destination, consume: !peek);
            AfterConsume();
            return n;
        }
    }

    /// <summary>recv(): a new array of exactly the bytes read (no oversized buffer to trim), empty at EOF.</summary>
    internal byte[] Receive(int max, bool peek, in Deadline deadline)
    {
        lock (Sync)
        {
            if (!AwaitData(deadline, max == 0)) return [];
            byte[] result = new byte[(int)Math.Min(max, readBuffer.Count)];
            readBuffer.CopyTo(result, consume: !peek);
            AfterConsume();
            return result;
        }
    }

    /// <summary>
    /// Under the lock: true when buffered bytes can be read, false at EOF (or SHUT_RD, or a zero-size request).
    /// Raises a connection error once (ECONNRESET), after which reads see EOF, as on Linux.
    /// </summary>
    bool AwaitData(in Deadline deadline, bool zeroSize)
    {
        while (true)
        {
            switch (state)
            {
                case SocketState.Closed:
                    throw BadFd();
                case SocketState.Connected:
                    break;
                case SocketState.Connecting:
                    // Linux: recv while a connect is in progress waits (blocking) or gives EAGAIN.
                    if (!Waiter.Wait(Sync, deadline)) throw WouldBlockOrTimeout(deadline);
                    continue;
                default:
                    throw PySocketException.OSError(Errno.ENOTCONN);
            }
            if (readBuffer.Count > 0) return !zeroSize;
            if (readError is not null)
            {
                PySocketException e = readError;
                readError = null;
                inputEof = true;
                throw e;
            }
            if (inputEof || shutRead || zeroSize) return false;
            if (!Waiter.Wait(Sync, deadline))
            {
                if (readBuffer.Count > 0 || inputEof || readError is not null || state != SocketState.Connected) continue;
                throw WouldBlockOrTimeout(deadline);
            }
        }
    }

    void AfterConsume()
    {
        if (readPaused && readBuffer.Count <= ReadLowWaterMark)
        {
            readPaused = false;
            channel!.Configuration.AutoRead = true;
            SocketsLog.ReadResumed(PrimaryFd, readBuffer.Count);
        }
    }

    static PySocketException WouldBlockOrTimeout(in Deadline deadline) =>
        deadline.IsNonBlocking ? PySocketException.WouldBlock() : PySocketException.Timeout();

    /// <summary>Bytes buffered for recv (select's level check; also SIOCINQ-like tests).</summary>
    internal long BufferedBytes
    {
        get
        {
            lock (Sync) return readBuffer.Count;
        }
    }

    /// <summary>True when the inbound side is paused for backpressure (tests of the bound).</summary>
    internal bool ReadPaused
    {
        get
        {
            lock (Sync) return readPaused;
        }
    }
}
