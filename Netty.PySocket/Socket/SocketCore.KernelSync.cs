using System.Net.Sockets;

namespace Netty.PySocket.Socket;

internal sealed partial class SocketCore
{
    /// <summary>How long a caller that would give up at once waits for the event loop to deliver what the kernel has.</summary>
    internal const int KernelCatchUpMilliseconds = 50;

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
                    if (acceptQueue is not { Count: 0 } || acceptPaused) return false;
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
                    bool unread;
                    try
                    {
                        unread = raw.Poll(0, SelectMode.SelectRead);
                    }
                    catch (Exception ex) when (ex is ObjectDisposedException or SocketException)
                    {
                        unread = false;
                    }
                    finally
                    {
                        Monitor.Exit(channel.ReadGate); // before waiting: the loop needs it to deliver
                    }
                    return unread && WaitForSignal();
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
