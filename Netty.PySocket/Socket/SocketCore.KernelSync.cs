using System.Net.Sockets;
using Netty.PySocket.Errors;

namespace Netty.PySocket.Socket;

internal sealed partial class SocketCore
{
    /// <summary>How long a caller that would give up at once waits for the event loop to deliver what the kernel has.</summary>
    internal const int KernelCatchUpMilliseconds = 200;

    long signals;

    /// <summary>
    /// The event loop hears of kernel events a little after the kernel (the socket engine's completion thread hands
    /// them to the DotNetty loop; milliseconds on a loaded machine). CPython asks the kernel directly, so a
    /// non-blocking recv/accept or a select/poll with timeout 0 right after the peer acted sees it at once; ours
    /// could answer "not ready" for data already on this machine (test_selectors' test_timeout, select_read_write).
    /// So before giving up at once, ask the kernel (poll(2) with timeout 0): if it already has what our state lacks,
    /// wait up to <see cref="KernelCatchUpMilliseconds"/> for the event loop to deliver it. Returns true when the
    /// socket's state changed meanwhile (the caller looks again).
    /// </summary>
    public bool CatchUpWithKernel()
    {
        lock (Sync)
        {
            SelectMode mode;
            switch (state)
            {
                case SocketState.Connecting:
                    mode = SelectMode.SelectWrite;
                    break;
                case SocketState.Listening:
                    if (acceptQueue is not { Count: 0 } || acceptPaused || callerAccepts) return false;
                    if (server!.AcceptInFlight) return WaitForSignal();
                    mode = SelectMode.SelectRead;
                    break;
                case SocketState.Connected:
                    // With TLS in the pipeline kernel bytes may decrypt to nothing yet: no promise to wait for.
                    if (readBuffer.Count > 0 || inputEof || shutRead || readError is not null || readPaused || !PlainPipeline) return false;
                    // The event loop moves bytes from the kernel to our buffer under the read gate; while it holds
                    // the gate they may be in neither place, so a busy gate means "wait for what it brings".
                    // (TryEnter: the gate comes before our lock, never after it.)
                    if (!Monitor.TryEnter(channel!.ReadGate)) return WaitForSignal();
                    try
                    {
                        // Do the event loop's job here instead of waiting for it: move what the kernel has into
                        // our buffer, in stream order (we hold the read gate).
                        return PullFromKernel();
                    }
                    finally
                    {
                        Monitor.Exit(channel.ReadGate);
                    }
                default:
                    return false;
            }
            bool kernelReady;
            try
            {
                kernelReady = raw.Poll(0, mode);
            }
            catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
            {
                return false;
            }
            if (!kernelReady) return false;
            return WaitForSignal();
        }
    }

    static readonly TimeSpan PullGateWait = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// The non-waiting part of <see cref="CatchUpWithKernel"/>, for sockets already reported for something else (it
    /// waits only for an event-loop read in progress, at most <see cref="PullGateWait"/>).
    /// </summary>
    public bool PullFromKernelNow() => PullFromKernelNow(PullGateWait);

    /// <summary><see cref="PullFromKernelNow()"/> waiting at most <paramref name="gateWait"/> for an event-loop read in progress.</summary>
    bool PullFromKernelNow(TimeSpan gateWait)
    {
        PyTcpChannel? ch = channel;
        // The event loop may be reading these very bytes right now (it holds the gate while it reads and delivers):
        // wait for it briefly instead of answering "writable only" (test_selectors' test_select_read_write flaked so).
        if (ch is null || !Monitor.TryEnter(ch.ReadGate, gateWait)) return false;
        try
        {
            lock (Sync)
            {
                if (readBuffer.Count > 0 || inputEof || readError is not null) return true; // delivered meanwhile
                if (state != SocketState.Connected || shutRead || readPaused || !PlainPipeline) return false;
                return PullFromKernel();
            }
        }
        finally
        {
            Monitor.Exit(ch.ReadGate);
        }
    }

    /// <summary>Under the read gate and the lock: one non-blocking read into the buffer; true when the state changed.</summary>
    bool PullFromKernel()
    {
        DotNetty.Buffers.IByteBuffer buffer = channel!.Allocator.HeapBuffer(64 * 1024);
        int n;
        try
        {
            n = DescriptorIo.Receive(raw, new Span<byte>(buffer.Array, buffer.ArrayOffset + buffer.WriterIndex, buffer.WritableBytes), 0);
        }
        catch (ObjectDisposedException)
        {
            buffer.Release();
            return false;
        }
        if (n > 0)
        {
            buffer.SetWriterIndex(buffer.WriterIndex + n);
            readBuffer.Append(buffer);
            Signal();
            return true;
        }
        buffer.Release();
        switch (n)
        {
            case 0:
                inputEof = true; // the loop's own read will see the FIN too and fire the input-shutdown event
                Signal();
                return true;
            case -Errno.EAGAIN:
                return false;
            default:
                readErrorReported = true; // ours to report; the loop's read will not report it again
                readError ??= PySocketException.OSError(-n);
                writeError ??= readError;
                Signal();
                return true;
        }
    }

    /// <summary>Under the lock: waits up to <see cref="KernelCatchUpMilliseconds"/> for the next state change.</summary>
    bool WaitForSignal()
    {
        lock (Sync)
        {
            long seen = signals;
            Deadline limit = Deadline.FromTimeout(KernelCatchUpMilliseconds / 1000.0);
            while (signals == seen)
            {
                int ms = limit.RemainingMilliseconds(KernelCatchUpMilliseconds);
                if (ms == 0) return false;
                Monitor.Wait(Sync, ms);
            }
            return true;
        }
    }
}
