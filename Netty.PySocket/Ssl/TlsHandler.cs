using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using DotNetty.Buffers;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Sockets;
using Netty.PySocket.Errors;
using Netty.PySocket.Socket;

namespace Netty.PySocket.Ssl;

internal enum TlsPhase
{
    NotStarted,
    Handshaking,
    Established,
    Failed,
}

/// <summary>
/// The TLS layer in the channel pipeline, just before <see cref="SocketHandler"/>: our own handler on
/// <see cref="SslStream"/> over a <see cref="CipherStream"/> the pipeline feeds (not DotNetty's TlsHandler, see
/// design/ssl.md). Inbound ciphertext goes into the stream; a read loop decrypts and fires plain buffers on to
/// <see cref="SocketHandler"/>; outbound plain writes are encrypted on the event loop and go out as ciphertext.
/// TLS state is read and written under the socket's lock, so the socket's waits see it.
/// </summary>
internal sealed class TlsHandler : ChannelHandlerAdapter, SocketCore.ITlsReadState, SocketCore.ITlsDirectWriter, SocketCore.ITlsDirectReader
{
    internal const string Name = "pysocket-tls";
    readonly SocketCore core;
    readonly SslSocket owner;
    internal readonly CipherStream Inner = new();
    internal readonly SslStream Stream;
    IChannelHandlerContext? ctx;
    readonly Queue<(IByteBuffer Data, TaskCompletionSource Done)> pendingWrites = new();

    // Under core.Sync:
    internal TlsPhase Phase;
    internal PySocketException? HandshakeError;
    internal PySocketException? ReadError;
    // The kernel error that ended the input (a reset): _ssl reports it as OSError (SSL_ERROR_SYSCALL), not as an EOF.
    internal PySocketException? TransportError;
    internal bool CloseNotifyReceived;
    internal bool RaggedEof;
    internal bool CloseNotifySent;
    internal (int Code, string Message)? VerifyFailure;
    internal bool PeerCertMissing;
    internal PeerChain? PeerChain;

    public TlsHandler(SocketCore core, SslSocket owner)
    {
        this.core = core;
        this.owner = owner;
        Stream = new SslStream(Inner, leaveInnerStreamOpen: true);
    }

    public override void HandlerAdded(IChannelHandlerContext context)
    {
        ctx = context;
        Inner.Attach(context);
    }

    public override void ChannelRead(IChannelHandlerContext context, object message)
    {
        if (message is IByteBuffer b) Inner.Feed(b);
        else context.FireChannelRead(message);
    }

    public override void UserEventTriggered(IChannelHandlerContext context, object evt)
    {
        if (evt is ChannelInputShutdownEvent) Inner.FeedEof();
        else context.FireUserEventTriggered(evt);
    }

    public override void ChannelInactive(IChannelHandlerContext context)
    {
        Inner.FeedEof();
        context.FireChannelInactive();
    }

    public override void ExceptionCaught(IChannelHandlerContext context, Exception exception)
    {
        PySocketException transport = ErrorTable.Translate(exception);
        core.UnderLock(() => TransportError ??= transport);
        Inner.FeedEof();
        context.FireExceptionCaught(exception);
    }

    public override Task WriteAsync(IChannelHandlerContext context, object message)
    {
        if (message is KernelBytes raw) return context.WriteAsync(raw); // a plain send() on a dup: not ours to encrypt
        if (message is not IByteBuffer plain) return context.WriteAsync(message);
        TlsPhase phase = core.UnderLock(() => Phase);
        if (phase == TlsPhase.Established && pendingWrites.Count == 0) return Encrypt(plain);
        if (phase is TlsPhase.NotStarted or TlsPhase.Handshaking)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            pendingWrites.Enqueue((plain, done));
            return done.Task;
        }
        plain.Release();
        return Task.FromException(new ClosedChannelException());
    }

    // Every SslStream write (event loop or caller) holds it: records must reach the socket in sequence-number order.
    readonly object encryptGate = new();
    readonly System.Buffers.ArrayBufferWriter<byte> directRecords = new(64 * 1024 + 1024);

    Task Encrypt(IByteBuffer plain)
    {
        try
        {
            lock (encryptGate)
            {
                Stream.Write(plain.Array, plain.ArrayOffset + plain.ReaderIndex, plain.ReadableBytes);
                return Inner.LastWrite;
            }
        }
        catch (Exception ex)
        {
            return Task.FromException(ex);
        }
        finally
        {
            plain.Release();
        }
    }

    /// <summary>
    /// Caller-thread encryption (no event-loop hop, the loop only reads): only once established, with no plain
    /// write waiting for the handshake, no close_notify, and every ciphertext write of the pipeline completed, so
    /// these records follow all earlier ones on the wire.
    /// </summary>
    public bool TryWriteDirect(ReadOnlySpan<byte> plain)
    {
        if (!Monitor.TryEnter(encryptGate)) return false;
        try
        {
            if (!core.UnderLock(() => Phase == TlsPhase.Established && !CloseNotifySent) || !Inner.LastWrite.IsCompleted || core.WritesQueued)
                return false;
            directRecords.ResetWrittenCount();
            Inner.Capture = directRecords;
            try
            {
                Stream.Write(plain);
            }
            catch (Exception ex) when (ex is not PySocketException)
            {
                // SslStream already failed (an alert the read loop took): the pipeline's write fails the same way,
                // reported as before (recv raises the alert; CPython's SSL_write would not have read it either).
                return false;
            }
            finally
            {
                Inner.Capture = null;
            }
            core.SendRecordsDirect(directRecords.WrittenSpan);
            return true;
        }
        finally
        {
            Monitor.Exit(encryptGate);
        }
    }

    /// <summary>Starts the handshake once (any thread); completion is reported under the socket lock.</summary>
    internal void StartHandshake()
    {
        bool start = core.UnderLock(() =>
        {
            if (Phase != TlsPhase.NotStarted) return false;
            Phase = TlsPhase.Handshaking;
            return true;
        });
        if (!start) return;
        Inner.DirectSend = SendHandshakeDirect;
        Task.Run(async () =>
        {
            try
            {
                if (owner.ServerSide)
                    await Stream.AuthenticateAsServerAsync(SelectServerOptions, null, CancellationToken.None).ConfigureAwait(false);
                else
                    await Stream.AuthenticateAsClientAsync(owner.Context.ClientOptions(owner, Validate)).ConfigureAwait(false);
                ctx!.Executor.Execute(OnHandshakeSucceeded);
            }
            catch (Exception ex)
            {
                OnHandshakeFailed(ex);
            }
        });
    }

    ValueTask<SslServerAuthenticationOptions> SelectServerOptions(SslStream stream, SslClientHelloInfo hello, object? state, CancellationToken token)
    {
        string? name = string.IsNullOrEmpty(hello.ServerName) ? null : hello.ServerName;
        SslContext context = owner.Context;
        if (context.SniCallback is { } sni)
        {
            object? result = sni(owner, name, context);
            if (result is not null) throw new System.Security.Authentication.AuthenticationException("error:0A000412:SSL routines::sslv3 alert bad certificate");
        }
        context = owner.Context;
        if (!context.HasCertificate) throw new System.Security.Authentication.AuthenticationException("error:0A0000C1:SSL routines::no shared cipher");
        return ValueTask.FromResult(context.ServerOptions(Validate));
    }

    bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        SslContext context = owner.Context;
        if (context.VerifyMode == SslConstants.CERT_NONE) return true;
        if (certificate is null)
        {
            if (owner.ServerSide && context.VerifyMode == SslConstants.CERT_OPTIONAL) return true;
            core.UnderLock(() => PeerCertMissing = true);
            return false;
        }
        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        (int, string)? failure = CertVerifier.Verify(context, leaf, chain, owner.ServerHostname, !owner.ServerSide && context.CheckHostname, out byte[][]? verified);
        var peerChain = new PeerChain(PeerChain.Presented(leaf, chain), verified);
        core.UnderLock(() => PeerChain = peerChain);
        if (failure is null) return true;
        core.UnderLock(() => VerifyFailure = failure);
        return false;
    }

    /// <summary>A handshake flight straight to the kernel (no event-loop hop), unless a write of ours is queued.</summary>
    bool SendHandshakeDirect(ReadOnlySpan<byte> records)
    {
        if (core.WritesQueued || core.UnderLock(() => Phase) != TlsPhase.Handshaking) return false;
        try
        {
            core.SendRecordsDirect(records);
        }
        catch (PySocketException)
        {
            // The connection broke: the handshake learns it from its next read, as with a failed pipeline write.
        }
        return true;
    }

    void OnHandshakeSucceeded()
    {
        Inner.DirectSend = null;
        core.UnderLock(() => Phase = TlsPhase.Established);
        while (pendingWrites.Count > 0)
        {
            (IByteBuffer data, TaskCompletionSource done) = pendingWrites.Dequeue();
            Task t = Encrypt(data);
            t.ContinueWith((w, d) =>
            {
                var tcs = (TaskCompletionSource)d!;
                if (w.IsFaulted) tcs.TrySetException(w.Exception!.InnerExceptions);
                else tcs.TrySetResult();
            }, done, TaskContinuationOptions.ExecuteSynchronously);
        }
        Inner.ResumeInline = true;
        core.TlsDirect = this;
        core.TlsDirectReader = this;
        _ = ReadLoop();
        core.TlsSignal(handshakeDone: true);
    }

    void OnHandshakeFailed(Exception ex)
    {
        Inner.DirectSend = null;
        PySocketException error = core.UnderLock(() =>
        {
            PySocketException e;
            if (VerifyFailure is (int code, string msg)) e = SslErrors.CertVerify(code, msg);
            else if (PeerCertMissing) e = SslErrors.Error(PyErrorKind.SSLError, 1, "SSL", "PEER_DID_NOT_RETURN_A_CERTIFICATE", "peer did not return a certificate", SslErrors.HandshakeLine, ex);
            else if (Inner.NotTls is byte[] first) e = NotTlsError(first, SslErrors.HandshakeLine);
            else if (TransportError is not null) e = TransportError;
            else if (Inner.EofDelivered) e = Inner.Consumed == 0
                ? SslErrors.Error(PyErrorKind.SSLEOFError, SslConstants.SSL_ERROR_EOF, "SSL", "UNEXPECTED_EOF_WHILE_READING", "EOF occurred in violation of protocol", SslErrors.HandshakeLine)
                : SslErrors.UnexpectedEof(SslErrors.HandshakeLine);
            else if (owner.Context.EnabledProtocols == System.Security.Authentication.SslProtocols.None)
                e = SslErrors.Error(PyErrorKind.SSLError, 1, "SSL", "NO_PROTOCOLS_AVAILABLE", "no protocols available", SslErrors.HandshakeLine, ex);
            else e = SslErrors.FromTls(ex, SslErrors.HandshakeLine);
            HandshakeError = e;
            Phase = TlsPhase.Failed;
            return e;
        });
        _ = error;
        ctx?.Executor.Execute(FailPendingWrites);
        core.TlsSignal(readEnded: true);
    }

    void FailPendingWrites()
    {
        while (pendingWrites.Count > 0)
        {
            (IByteBuffer data, TaskCompletionSource done) = pendingWrites.Dequeue();
            data.Release();
            done.TrySetException(new ClosedChannelException());
        }
    }

    PySocketException NotTlsError(byte[] first, int line)
    {
        string start = System.Text.Encoding.ASCII.GetString(first);
        if (line == SslErrors.HandshakeLine && owner.ServerSide && (start.StartsWith("GET ") || start.StartsWith("POST ") || start.StartsWith("HEAD ") || start.StartsWith("PUT ")))
            return SslErrors.Error(PyErrorKind.SSLError, 1, "SSL", "HTTP_REQUEST", "http request", line);
        if (line == SslErrors.HandshakeLine && owner.ServerSide && start.StartsWith("CONNE"))
            return SslErrors.Error(PyErrorKind.SSLError, 1, "SSL", "HTTPS_PROXY_REQUEST", "https proxy request", line);
        return SslErrors.Error(PyErrorKind.SSLError, 1, "SSL", "WRONG_VERSION_NUMBER", "wrong version number", line);
    }

    /// <summary>Decrypts until close_notify, EOF or an error; plain buffers go on to SocketHandler in order.</summary>
    async Task ReadLoop()
    {
        IChannelHandlerContext c = ctx!;
        try
        {
            while (true)
            {
                IByteBuffer buffer = c.Allocator.HeapBuffer(16 * 1024 + 256);
                int n;
                try
                {
                    n = await Stream.ReadAsync(buffer.Array.AsMemory(buffer.ArrayOffset + buffer.WriterIndex, buffer.WritableBytes)).ConfigureAwait(false);
                }
                catch
                {
                    buffer.Release();
                    throw;
                }
                if (n == 0)
                {
                    buffer.Release();
                    core.TlsDirectReader = null;
                    bool ragged = Inner.EofDelivered;
                    c.Executor.Execute(() =>
                    {
                        core.UnderLock(() =>
                        {
                            if (ragged && TransportError is not null) ReadError = TransportError;
                            else if (ragged) RaggedEof = true;
                            else CloseNotifyReceived = true;
                            return 0;
                        });
                        core.TlsSignal(readEnded: true);
                    });
                    return;
                }
                buffer.SetWriterIndex(buffer.WriterIndex + n);
                // Straight to the socket (SocketHandler's whole job), on whichever thread fed the ciphertext: the
                // event loop, or a caller reading the kernel itself. This loop is the only producer, so order holds.
                core.OnData(buffer);
            }
        }
        catch (Exception ex)
        {
            core.TlsDirectReader = null;
            PySocketException error = Inner.NotTls is byte[] first ? NotTlsError(first, SslErrors.ReadLine)
                : Inner.EofDelivered ? null! : SslErrors.FromTls(ex, SslErrors.ReadLine);
            c.Executor.Execute(() =>
            {
                core.UnderLock(() =>
                {
                    if (error is null && TransportError is not null) ReadError = TransportError;
                    else if (error is null) RaggedEof = true;
                    else ReadError = error;
                    return 0;
                });
                core.TlsSignal(readEnded: true);
            });
        }
    }

    /// <summary>Under the socket lock: the read loop runs and less than a record of ciphertext waits to be decrypted.</summary>
    public bool WantsCiphertext =>
        Phase == TlsPhase.Established && !CloseNotifyReceived && !RaggedEof && ReadError is null && Inner.Available < 16 * 1024 + 512;

    /// <summary>Under the socket lock: the handshake runs and less than a record of ciphertext waits for it.</summary>
    public bool WantsHandshakeCiphertext => Phase == TlsPhase.Handshaking && Inner.Available < 16 * 1024 + 512;

    public void FeedTransportError(PySocketException error)
    {
        core.UnderLock(() => TransportError ??= error);
        Inner.FeedEof();
    }

    /// <summary>Ciphertext a caller read from the kernel (under the read gate, so in stream order).</summary>
    public void FeedCiphertext(IByteBuffer ciphertext, bool handshake) => Inner.Feed(ciphertext, resumeHere: handshake);

    /// <summary>Under the lock: how recv ends (null: wait for more).</summary>
    public int? EndOfStream()
    {
        if (ReadError is not null) throw ReadError;
        if (CloseNotifyReceived) return 0;
        if (RaggedEof)
        {
            if (owner.SuppressRaggedEofs) return 0;
            throw SslErrors.UnexpectedEof(SslErrors.ReadLine);
        }
        if (Phase == TlsPhase.Failed) throw HandshakeError!;
        return null;
    }

    /// <summary>Sends close_notify once, on the event loop after every queued write.</summary>
    internal void SendCloseNotify()
    {
        bool send = core.UnderLock(() =>
        {
            if (CloseNotifySent) return false;
            CloseNotifySent = true;
            return true;
        });
        if (!send) return;
        core.TlsDirect = null;
        ctx!.Executor.Execute(() =>
        {
            try
            {
                lock (encryptGate) Stream.ShutdownAsync().GetAwaiter().GetResult();
            }
            catch (Exception)
            {
                // The connection already broke: unwrap reports the read side's state.
            }
        });
    }
}
