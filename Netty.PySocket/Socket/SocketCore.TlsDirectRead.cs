using Netty.PySocket.Errors;

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

        /// <summary>Under <see cref="Sync"/>: true while the handshake runs and little ciphertext waits (bounded).</summary>
        bool WantsHandshakeCiphertext { get; }

        /// <summary>Under the read gate: the connection broke under a handshake this thread feeds (as the loop's read would report it).</summary>
        void FeedTransportError(PySocketException error);

        /// <summary>
        /// Under the read gate: ciphertext in stream order (the TLS layer takes the buffer; decrypted inline when the
        /// read loop waits, and with <paramref name="handshake"/> the handshake's next step runs on this thread too).
        /// </summary>
        void FeedCiphertext(DotNetty.Buffers.IByteBuffer ciphertext, bool handshake);
    }

    /// <summary>Set while an established TLS layer reads: TLS recv tries the kernel itself before waiting.</summary>
    internal volatile ITlsDirectReader? TlsDirectReader;

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
        /// <summary>Not ours to read now (the event loop holds the gate, the TLS layer has enough, an error).</summary>
        Busy,
        /// <summary>The kernel reports the end of the stream (left to the event loop's read).</summary>
        Eof,
    }

    /// <summary>
    /// Reads what the kernel holds and feeds it to the TLS layer on this thread. Nothing is read when the event loop
    /// is reading, nothing is there, or the stream ended: EOF is left to the event loop's read, which reports it
    /// through the TLS layer as before; a reset is recorded as that read would have.
    /// </summary>
    TlsFeed FeedTlsFromKernel(ITlsDirectReader? handshake = null)
    {
        ITlsDirectReader? reader = handshake ?? TlsDirectReader;
        PyTcpChannel? ch = channel;
        if (reader is null || ch is null) return TlsFeed.Busy;
        if (!Monitor.TryEnter(ch.ReadGate)) return TlsFeed.Busy; // the event loop is moving bytes: they reach us through it
        try
        {
            lock (Sync)
            {
                if (state != SocketState.Connected || readBuffer.Count > 0 || shutRead || inputEof || readError is not null
                    || !(handshake is null ? reader.WantsCiphertext : reader.WantsHandshakeCiphertext))
                    return TlsFeed.Busy;
            }
            // Straight into a pooled buffer the TLS layer takes over (no scratch copy: TLS bulk is copy-bound).
            DotNetty.Buffers.IByteBuffer buffer = ch.Allocator.HeapBuffer(TlsDirectReadSize);
            int n;
            try
            {
                n = DescriptorIo.Receive(raw, new Span<byte>(buffer.Array, buffer.ArrayOffset + buffer.WriterIndex, TlsDirectReadSize), 0);
            }
            catch
            {
                buffer.Release();
                throw;
            }
            if (n <= 0) buffer.Release();
            if (n == -Errno.EAGAIN) return TlsFeed.Empty;
            if (n == 0) return TlsFeed.Eof;
            if (n < 0)
            {
                // The kernel reports a reset once, to one reader: record it as the event loop's read would have.
                PySocketException error = PySocketException.OSError(-n);
                OnReadFailed(error);
                handshake?.FeedTransportError(error);
                return TlsFeed.Busy;
            }
            buffer.SetWriterIndex(buffer.WriterIndex + n);
            reader.FeedCiphertext(buffer, handshake is not null);
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

    /// <summary>How long a kernel wait lasts when the event loop or the TLS layer has the bytes (they signal when done).</summary>
    const int TlsBusyWaitMilliseconds = 1;

    /// <summary>
    /// After a feed that found nothing (<see cref="TlsFeed.Empty"/>: wait for the socket) or could not read
    /// (<see cref="TlsFeed.Busy"/>: a short wait for the loop's or the TLS layer's signal). False once the deadline passed.
    /// </summary>
    static bool WaitForCiphertext(TlsFeed last, int fd, int wake, in Deadline deadline) => last == TlsFeed.Empty
        ? WaitInKernel(fd, PollIn, wake, deadline)
        : WaitInKernel(-1, PollIn, wake, deadline, capMilliseconds: TlsBusyWaitMilliseconds);

    /// <summary>
    /// Before a TLS recv waits: feed what the kernel has. A blocking recv then owns the socket's reads as a plain
    /// one does (design/ssl.md, "Caller-owned TLS reads"): the event loop's read parks, and the caller waits in poll(2)
    /// on the socket and its wake descriptor, feeding ciphertext to the TLS layer as it arrives, until decrypted bytes,
    /// the end of the stream or a state change turn up, or the deadline passes (the locked path then answers). Records
    /// Python does not ask for (tickets, close_notify) wait in the kernel until the next recv, as with OpenSSL; EOF and
    /// anything that sleeps on the condition hand the reads back to the loop.
    /// </summary>
    void ReceiveTlsDirect(ITlsReadState tls, in Deadline deadline)
    {
        if (TlsDirectReader is null || readBuffer.Count > 0) return; // unlocked peek: the locked path re-checks
        TlsFeed last = FeedTlsFromKernel();
        if (deadline.IsNonBlocking || last == TlsFeed.Fed && readBuffer.Count > 0) return;
        int wake = WakeDescriptor.Rent();
        if (wake < 0)
        {
            SpinTlsDirect();
            return;
        }
        lock (Sync)
        {
            if (!callerReads && (state != SocketState.Connected || TlsDirectReader is null || readPaused || Volatile.Read(ref watchers).Length > 0))
            {
                WakeDescriptor.Return(wake);
                wake = -1;
            }
            else
            {
                callerReads = true;
                AddKernelWaiter(wake);
            }
        }
        if (wake < 0)
        {
            SpinTlsDirect(); // select/poll watch it: the event loop reads
            return;
        }
        try
        {
            while (true)
            {
                int fd;
                lock (Sync)
                {
                    if (!callerReads || readBuffer.Count > 0 || state != SocketState.Connected || shutRead || inputEof || readError is not null || TlsDirectReader is null)
                        return;
                    try
                    {
                        if (tls.EndOfStream() is not null) return;
                    }
                    catch (Exception)
                    {
                        return; // the locked path raises it
                    }
                    // The end of the stream reaches the TLS layer through the event loop's read: let it read.
                    if (last == TlsFeed.Eof) EndCallerReads();
                    fd = PrimaryFd;
                }
                if (last != TlsFeed.Fed && !WaitForCiphertext(last, fd, wake, deadline)) return;
                last = FeedTlsFromKernel();
            }
        }
        finally
        {
            RemoveKernelWaiter(wake);
        }
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

    /// <summary>
    /// A blocking or timeout handshake on a socket whose reads callers own: the caller feeds the handshake from the
    /// kernel itself (poll(2) on the socket and its wake descriptor; the handshake's end signals), as a TLS recv does
    /// once established, so the event loop never reads the socket. Measured: a socket the loop has read once stays on
    /// the socket engine's epoll set, whose wake-ups (a thread-pool work item per event) cost about 40% of bulk
    /// throughput (1.1-1.5 GB/s against 1.9-3.3 GB/s on plain loopback). Non-blocking handshakes, watched sockets
    /// and the end of the stream go through the event loop as before (<see cref="WaitTls"/>).
    /// </summary>
    internal void WaitTlsHandshake(ITlsDirectReader reader, Func<bool> done, in Deadline deadline, Func<Deadline, PySocketException> blocked)
    {
        int wake = deadline.IsNonBlocking ? -1 : WakeDescriptor.Rent();
        if (wake >= 0)
        {
            try
            {
                if (FeedHandshake(reader, done, wake, deadline, blocked)) return;
            }
            finally
            {
                RemoveKernelWaiter(wake);
            }
        }
        WaitTls(done, deadline, blocked);
    }

    /// <summary>True when <paramref name="done"/> holds; false when the event loop must read from now on.</summary>
    bool FeedHandshake(ITlsDirectReader reader, Func<bool> done, int wake, in Deadline deadline, Func<Deadline, PySocketException> blocked)
    {
        lock (Sync)
        {
            if (done()) return true;
            if (state == SocketState.Closed) throw BadFd();
            if (!callerReads && (state != SocketState.Connected || readPaused || Volatile.Read(ref watchers).Length > 0)) return false;
            callerReads = true;
            AddKernelWaiter(wake);
        }
        while (true)
        {
            int fd;
            lock (Sync)
            {
                if (done()) return true;
                if (state == SocketState.Closed) throw BadFd();
                if (!callerReads || state != SocketState.Connected || inputEof || shutRead || readError is not null) return false;
                fd = PrimaryFd;
            }
            TlsFeed last = FeedTlsFromKernel(reader);
            if (last == TlsFeed.Fed) continue;
            if (last == TlsFeed.Eof)
            {
                // The end of the stream reaches the TLS layer through the event loop's read.
                lock (Sync) EndCallerReads();
                return false;
            }
            if (!WaitForCiphertext(last, fd, wake, deadline))
            {
                lock (Sync)
                {
                    if (done()) return true;
                }
                throw blocked(deadline);
            }
        }
    }
}
