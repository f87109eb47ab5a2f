using DotNetty.Buffers;
using DotNetty.Transport.Channels;
using Netty.PySocket.Errors;

namespace Netty.PySocket.Socket;

/// <summary>
/// Hooks for <c>Netty.PySocket.Ssl</c>: put a TLS handler in front of <see cref="SocketHandler"/> and take it out
/// again (wrap/unwrap), wait for the handshake with the socket's deadline, and read decrypted bytes with a TLS
/// end-of-stream rule. Everything runs under <see cref="Sync"/>, the one condition every blocked caller waits on.
/// </summary>
internal sealed partial class SocketCore
{
    /// <summary>State a TLS layer reports to the waits below; read and written under <see cref="Sync"/>.</summary>
    internal interface ITlsReadState
    {
        /// <summary>Null while more decrypted data may come; 0 at a clean end (b""); throws the read error.</summary>
        int? EndOfStream();
    }

    /// <summary>A TLS layer that can encrypt on the caller's thread (see <see cref="SocketCore.TlsDirect"/>).</summary>
    internal interface ITlsDirectWriter
    {
        /// <summary>
        /// Encrypts <paramref name="plain"/> on this thread and passes the records to <see cref="SendRecordsDirect"/>
        /// when no other ciphertext is in flight; false (nothing done) sends the caller through the pipeline.
        /// </summary>
        bool TryWriteDirect(ReadOnlySpan<byte> plain);
    }

    /// <summary>Set while an established TLS layer is in the pipeline: TLS sends try it before the event-loop hop.</summary>
    internal volatile ITlsDirectWriter? TlsDirect;

    /// <summary>
    /// Under the TLS layer's write lock, nothing in flight: TLS records made on the caller's thread go straight to
    /// the non-blocking socket; what the kernel does not take is queued as it is (already encrypted).
    /// </summary>
    internal void SendRecordsDirect(ReadOnlySpan<byte> records)
    {
        int sent = 0;
        try
        {
            while (sent < records.Length)
            {
                int n = DescriptorIo.Send(raw, records[sent..]);
                if (n >= 0)
                {
                    sent += n;
                    continue;
                }
                if (n == -Errno.EAGAIN) break;
                PySocketException e = PySocketException.OSError(-n);
                lock (Sync)
                {
                    writeError ??= e;
                }
                throw e;
            }
        }
        catch (ObjectDisposedException)
        {
            throw BadFd();
        }
        if (sent < records.Length)
        {
            PyTcpChannel ch;
            lock (Sync)
            {
                CheckSendable();
                ch = channel!;
            }
            Write(ch, records[sent..], throughTls: false);
        }
    }

    /// <summary>Writes handed to the channel and not completed yet (TLS direct writes wait for none).</summary>
    internal bool WritesQueued => Volatile.Read(ref queuedWrites) != 0;

    /// <summary>The connected channel (null before connect and for listeners).</summary>
    internal IChannel? ConnectedChannel
    {
        get
        {
            lock (Sync) return channel;
        }
    }

    /// <summary>
    /// On the event loop: inserts <paramref name="handler"/> before <see cref="SocketHandler"/> and hands it the
    /// bytes <see cref="SocketHandler"/> had already buffered (they arrived before the wrap, so they are the peer's
    /// first TLS bytes) and whether the peer's FIN had arrived. From then on EOF is the TLS layer's to report.
    /// </summary>
    internal Task InsertTlsHandler(string name, IChannelHandler handler, Action<byte[], bool> takeBuffered)
    {
        IChannel ch;
        lock (Sync)
        {
            if (state == SocketState.Closed) throw BadFd();
            if (state != SocketState.Connected || channel is null) throw PySocketException.OSError(Errno.ENOTCONN);
            ch = channel;
            // From now on every outbound byte must pass the TLS handler: no direct writes to the socket.
            PlainPipeline = false;
            // Reads stay with callers if they own them: a blocking handshake feeds itself from the kernel
            // (WaitTlsHandshake); anything that waits on the condition hands them to the event loop.
            tlsHandshakeNews = false;
            tlsHandshakeSeen = false;
        }
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ch.EventLoop.Execute(() =>
        {
            try
            {
                ch.Pipeline.AddBefore(SocketHandler.Name, name, handler);
                byte[] pending;
                bool eof;
                lock (Sync)
                {
                    pending = new byte[readBuffer.Count];
                    readBuffer.CopyTo(pending, consume: true);
                    AfterConsume();
                    eof = inputEof;
                    inputEof = false;
                }
                takeBuffered(pending, eof);
                done.SetResult();
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        });
        return done.Task;
    }

    /// <summary>
    /// On the event loop: removes the TLS handler, restores the plain socket's EOF state and delivers the bytes
    /// the peer sent after its close_notify (already plain) before anything read later.
    /// </summary>
    internal Task RemoveTlsHandler(string name, Func<(byte[] Leftover, bool TcpEof)> takeLeftover)
    {
        IChannel? ch = ConnectedChannel;
        if (ch is null) return Task.CompletedTask;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ch.EventLoop.Execute(() =>
        {
            try
            {
                TlsDirect = null;
                TlsDirectReader = null;
                if (ch.Pipeline.Get(name) is not null) ch.Pipeline.Remove(name);
                // Plain again: direct writes may resume once the queued TLS writes (close_notify) completed.
                PlainPipeline = true;
                (byte[] leftover, bool tcpEof) = takeLeftover();
                lock (Sync)
                {
                    inputEof = tcpEof;
                    Signal();
                }
                if (leftover.Length > 0) OnData(Unpooled.WrappedBuffer(leftover));
                NotifyReadiness();
                done.SetResult();
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        });
        return done.Task;
    }

    /// <summary>
    /// The TLS layer's state changed (handshake done, close_notify, EOF, error): wake the waiters and select.
    /// With <paramref name="readEnded"/>, select sees the socket readable (recv will not block).
    /// </summary>
    internal void TlsSignal(bool readEnded = false, bool handshakeDone = false)
    {
        lock (Sync)
        {
            if (readEnded) inputEof = true;
            // do_handshake may have seen the phase change before this signal: then there is no news to report.
            if (handshakeDone && !tlsHandshakeSeen) tlsHandshakeNews = true;
            Signal();
        }
        NotifyReadiness();
    }

    /// <summary>
    /// Under Sync: the handshake finished and no do_handshake/read call has seen it yet. select/poll report the
    /// socket readable meanwhile, as CPython's would be while OpenSSL still has the peer's last flight to process,
    /// so <c>select([s], [], [])</c> after SSLWantReadError from a non-blocking do_handshake returns.
    /// </summary>
    bool tlsHandshakeNews;

    /// <summary>Under Sync: a do_handshake/read call saw this TLS layer's handshake end (reset at each wrap).</summary>
    bool tlsHandshakeSeen;

    /// <summary>do_handshake (or the first read/write) saw the handshake's end: select goes back to the data.</summary>
    internal void TlsHandshakeSeen()
    {
        lock (Sync)
        {
            tlsHandshakeNews = false;
            tlsHandshakeSeen = true;
        }
    }

    /// <summary>Waits under the lock until <paramref name="done"/> (read under the lock) holds; <paramref name="blocked"/> makes the error.</summary>
    internal void WaitTls(Func<bool> done, in Deadline deadline, Func<Deadline, PySocketException> blocked)
    {
        lock (Sync)
        {
            while (!done())
            {
                if (state == SocketState.Closed) throw BadFd();
                // Handshake, unwrap: the TLS layer's progress comes through the event loop's reads.
                EndCallerReads();
                if (!Waiter.Wait(Sync, deadline))
                {
                    if (done()) return;
                    throw blocked(deadline);
                }
            }
        }
    }

    /// <summary>Runs <paramref name="action"/> under the socket lock (TLS state shared with the waits).</summary>
    internal T UnderLock<T>(Func<T> action)
    {
        lock (Sync) return action();
    }

    /// <summary>Like recv_into but the end of stream is the TLS layer's (close_notify, ragged EOF, error).</summary>
    internal int ReceiveTls(Span<byte> destination, ITlsReadState tls, in Deadline deadline, Func<Deadline, PySocketException> blocked)
    {
        if (destination.Length > 0) ReceiveTlsDirect(tls, deadline);
        lock (Sync)
        {
            while (true)
            {
                if (state == SocketState.Closed) throw BadFd();
                if (readBuffer.Count > 0)
                {
                    if (destination.Length == 0) return 0;
                    int n = readBuffer.CopyTo(destination, consume: true);
                    AfterConsume();
                    return n;
                }
                if (tls.EndOfStream() is int end) return end;
                if (shutRead || destination.Length == 0) return 0;
                // Sleeping on the condition needs the event loop to read: take the reads back from callers.
                if (callerReads && !deadline.IsNonBlocking && !deadline.Expired) EndCallerReads();
                if (!Waiter.Wait(Sync, deadline))
                {
                    if (readBuffer.Count > 0 || tls.EndOfStream() is not null) continue;
                    throw blocked(deadline);
                }
            }
        }
    }

    /// <summary>Decrypted bytes waiting for recv (SSLSocket.pending()).</summary>
    internal int TlsPending
    {
        get
        {
            lock (Sync) return (int)Math.Min(readBuffer.Count, int.MaxValue);
        }
    }

    /// <summary>Waits for room in the channel as send does (SSLWantWriteError / write timeout from <paramref name="blocked"/>).</summary>
    internal int SendTls(ReadOnlySpan<byte> data, in Deadline deadline, Func<Deadline, PySocketException> blocked)
    {
        try
        {
            return Send(data, deadline, throughTls: true);
        }
        catch (PySocketException e) when (e.Kind == PyErrorKind.Timeout || e.Errno == Errno.EAGAIN)
        {
            throw blocked(deadline);
        }
    }

    /// <summary>sendall over TLS: all or an exception, the deadline covering the whole call.</summary>
    internal void SendAllTls(ReadOnlySpan<byte> data, in Deadline deadline, Func<Deadline, PySocketException> blocked)
    {
        try
        {
            SendAll(data, deadline, throughTls: true);
        }
        catch (PySocketException e) when (e.Kind == PyErrorKind.Timeout || e.Errno == Errno.EAGAIN)
        {
            throw blocked(deadline);
        }
    }

    /// <summary>The last write queued (unwrap sends close_notify after it).</summary>
    internal Task LastWrite
    {
        get
        {
            lock (Sync) return lastWrite;
        }
    }
}
