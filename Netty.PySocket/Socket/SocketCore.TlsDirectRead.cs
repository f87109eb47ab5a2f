using System.Net.Sockets;

namespace Netty.PySocket.Socket;

/// <summary>
/// TLS reads on the caller's thread (design/ssl.md, "Caller-thread reads"): a TLS recv that finds no decrypted
/// bytes reads the ciphertext the kernel already has itself, under <see cref="PyTcpChannel.ReadGate"/> as the
/// plain socket's direct recv does, and hands it to the TLS layer, whose waiting read resumes inline on this
/// thread: decryption and the hand-over to the read buffer happen here, with no event-loop hop and no wake-up.
/// </summary>
internal sealed partial class SocketCore
{
    /// <summary>A TLS layer that takes ciphertext read on a caller's thread (see <see cref="TlsDirectReader"/>).</summary>
    internal interface ITlsDirectReader
    {
        /// <summary>Under <see cref="Sync"/>: true while the read loop runs and little ciphertext waits (bounded).</summary>
        bool WantsCiphertext { get; }

        /// <summary>Under the read gate: ciphertext in stream order (copied; decrypted inline when the read loop waits).</summary>
        void FeedCiphertext(ReadOnlySpan<byte> ciphertext);
    }

    /// <summary>Set while an established TLS layer reads: TLS recv tries the kernel itself before waiting.</summary>
    internal volatile ITlsDirectReader? TlsDirectReader;

    /// <summary>The kernel-read buffer of caller-thread TLS reads; used only under the read gate.</summary>
    byte[]? tlsReadScratch;

    /// <summary>
    /// How long a blocking TLS recv keeps polling the kernel before it sleeps. Longer than the plain socket's
    /// spin: a TLS reply that misses it costs two thread hops plus a wake-up (measured in design/ssl.md).
    /// </summary>
    internal static int TlsReceiveSpinMicroseconds = 300;

    /// <summary>One TLS record plus header: what a caller-thread read takes from the kernel at most.</summary>
    const int TlsDirectReadSize = 16 * 1024 + 512;

    /// <summary>What <see cref="FeedTlsFromKernel"/> did.</summary>
    enum TlsFeed
    {
        /// <summary>Ciphertext went to the TLS layer.</summary>
        Fed,
        /// <summary>The kernel had nothing (EAGAIN).</summary>
        Empty,
        /// <summary>Not ours to read now (the event loop holds the gate, the TLS layer has enough, EOF, an error).</summary>
        Busy,
    }

    /// <summary>
    /// Reads what the kernel holds and feeds it to the TLS layer on this thread. Nothing is read when the event loop
    /// is reading, nothing is there, or the stream ended: EOF is left to the event loop's read, which reports it
    /// through the TLS layer as before; a reset is recorded as that read would have.
    /// </summary>
    TlsFeed FeedTlsFromKernel()
    {
        ITlsDirectReader? reader = TlsDirectReader;
        PyTcpChannel? ch = channel;
        if (reader is null || ch is null) return TlsFeed.Busy;
        if (!Monitor.TryEnter(ch.ReadGate)) return TlsFeed.Busy; // the event loop is moving bytes: they reach us through it
        try
        {
            lock (Sync)
            {
                if (state != SocketState.Connected || readBuffer.Count > 0 || shutRead || inputEof || readError is not null || !reader.WantsCiphertext)
                    return TlsFeed.Busy;
            }
            byte[] scratch = tlsReadScratch ??= new byte[TlsDirectReadSize];
            int n = raw.Receive(scratch, SocketFlags.None, out SocketError error);
            if (error == SocketError.WouldBlock) return TlsFeed.Empty;
            if (error == SocketError.Success && n == 0) return TlsFeed.Busy;
            if (error != SocketError.Success)
            {
                // The kernel reports a reset once, to one reader: record it as the event loop's read would have.
                OnReadFailed(new SocketException((int)error));
                return TlsFeed.Busy;
            }
            reader.FeedCiphertext(scratch.AsSpan(0, n));
            return TlsFeed.Fed;
        }
        catch (ObjectDisposedException)
        {
            return TlsFeed.Busy;
        }
        finally
        {
            Monitor.Exit(ch.ReadGate);
        }
    }

    /// <summary>
    /// Before a TLS recv waits: feed what the kernel has; a blocking recv keeps polling for
    /// <see cref="TlsReceiveSpinMicroseconds"/> (a loopback reply usually arrives within it) before it sleeps.
    /// (A poll(2) wait instead of the spin was measured slower while the event loop's read stays armed under TLS:
    /// design/ssl.md.)
    /// </summary>
    void ReceiveTlsDirect(in Deadline deadline)
    {
        if (TlsDirectReader is null || readBuffer.Count > 0) return; // unlocked peek: the locked path re-checks
        FeedTlsFromKernel();
        if (!deadline.IsNonBlocking) SpinTlsDirect();
    }

    /// <summary>Feeds the kernel's ciphertext for up to <see cref="TlsReceiveSpinMicroseconds"/> or until decrypted bytes are buffered.</summary>
    void SpinTlsDirect()
    {
        if (TlsReceiveSpinMicroseconds <= 0 || Environment.ProcessorCount < 2) return;
        long until = System.Diagnostics.Stopwatch.GetTimestamp() + TlsReceiveSpinMicroseconds * System.Diagnostics.Stopwatch.Frequency / 1_000_000;
        var spin = new SpinWait();
        while (readBuffer.Count == 0 && TlsDirectReader is not null && System.Diagnostics.Stopwatch.GetTimestamp() < until)
        {
            if (FeedTlsFromKernel() != TlsFeed.Fed) spin.SpinOnce(-1);
        }
    }
}
