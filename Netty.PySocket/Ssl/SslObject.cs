using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Netty.PySocket.Errors;

namespace Netty.PySocket.Ssl;

/// <summary>
/// CPython's <c>ssl.MemoryBIO</c>: a byte queue one side writes and the other reads; <c>write_eof()</c> marks the end.
/// </summary>
public sealed class MemoryBio
{
    readonly object sync = new();
    byte[] data = new byte[4096];
    int start, end;
    bool eofWritten;

    /// <summary><c>pending</c>: bytes buffered.</summary>
    public int Pending
    {
        get
        {
            lock (sync) return end - start;
        }
    }

    /// <summary><c>eof</c>: write_eof() was called and everything was read.</summary>
    public bool Eof
    {
        get
        {
            lock (sync) return eofWritten && end == start;
        }
    }

    internal bool EofWritten
    {
        get
        {
            lock (sync) return eofWritten;
        }
    }

    /// <summary><c>write(data)</c>: the bytes taken (all); SSLError after write_eof().</summary>
    public int Write(ReadOnlySpan<byte> bytes)
    {
        lock (sync)
        {
            if (eofWritten) throw SslErrors.Make(PyErrorKind.SSLError, null, "cannot write() after write_eof()", null);
            if (data.Length - end < bytes.Length)
            {
                int count = end - start;
                if (data.Length < count + bytes.Length) Array.Resize(ref data, Math.Max(data.Length * 2, count + bytes.Length));
                Buffer.BlockCopy(data, start, data, 0, count);
                start = 0;
                end = count;
            }
            bytes.CopyTo(data.AsSpan(end));
            end += bytes.Length;
        }
        Written?.Invoke();
        return bytes.Length;
    }

    /// <summary><c>write_eof()</c>.</summary>
    public void WriteEof()
    {
        lock (sync) eofWritten = true;
        Written?.Invoke();
    }

    /// <summary><c>read(n=-1)</c>: up to n bytes (all when n is negative).</summary>
    public byte[] Read(int n = -1)
    {
        lock (sync)
        {
            int count = end - start;
            if (n < 0 || n > count) n = count;
            byte[] result = data.AsSpan(start, n).ToArray();
            start += n;
            if (start == end) start = end = 0;
            return result;
        }
    }

    internal int ReadInto(Span<byte> dest)
    {
        lock (sync)
        {
            int n = Math.Min(dest.Length, end - start);
            data.AsSpan(start, n).CopyTo(dest);
            start += n;
            if (start == end) start = end = 0;
            return n;
        }
    }

    internal event Action? Written;
}

/// <summary>
/// CPython's <c>_ssl._SSLSocket</c> made by <c>_wrap_bio</c> (<c>ssl.SSLObject</c>): TLS over two <see cref="MemoryBio"/>s,
/// as asyncio's SSL transport uses it. SslStream runs over an in-memory stream that reads <c>incoming</c> and
/// writes <c>outgoing</c>; it only makes progress inside our calls, which wait until SslStream either finishes the
/// operation or needs input that <c>incoming</c> does not hold, and then raise SSLWantReadError as OpenSSL does.
/// </summary>
public sealed class SslObject
{
    readonly object sync = new();
    readonly MemoryBio incoming;
    readonly BioStream inner;
    readonly SslStream stream;
    SslContext context;
    Task? handshake;
    PySocketException? handshakeError;
    Task<int>? pendingRead;
    readonly byte[] readBuffer = new byte[16 * 1024 + 512];
    int plainStart, plainEnd;
    bool closeNotifyReceived, shutdownSent;
    (int Code, string Message)? verifyFailure;
    bool peerCertMissing;
    PeerChain? peerChain;

    /// <summary>Made by <see cref="SslContext.WrapBio"/>.</summary>
    internal SslObject(SslContext context, MemoryBio incoming, MemoryBio outgoing, bool serverSide, string? serverHostname)
    {
        this.context = context;
        this.incoming = incoming;
        ServerSide = serverSide;
        ServerHostname = serverHostname;
        inner = new BioStream(this, incoming, outgoing);
        stream = new SslStream(inner, leaveInnerStreamOpen: true);
    }

    /// <summary><c>context</c>; settable (an sni_callback may switch the context).</summary>
    public SslContext Context
    {
        get => context;
        set => context = value ?? throw PySocketException.TypeError("The value must be a SSLContext");
    }

    /// <summary><c>server_side</c>.</summary>
    public bool ServerSide { get; }
    /// <summary><c>server_hostname</c>.</summary>
    public string? ServerHostname { get; }

    /// <summary>Server side: called with the SNI name (or null) during the handshake; a non-null result fails it.</summary>
    public Func<string?, object?>? ServerNameCallback { get; set; }

    // ---- progress ----

    void Pulse(Task t) => t.ContinueWith(_ =>
    {
        lock (sync) Monitor.PulseAll(sync);
    }, TaskContinuationOptions.ExecuteSynchronously);

    /// <summary>Feeds a waiting SslStream read, then waits until <paramref name="t"/> ends or SslStream needs more input.</summary>
    bool Progress(Task t)
    {
        lock (sync)
        {
            while (true)
            {
                inner.Pump();
                if (t.IsCompleted) return true;
                if (inner.Starved) return false;
                Monitor.Wait(sync, 100);
            }
        }
    }

    internal object Sync => sync;

    /// <summary><c>do_handshake()</c>: SSLWantReadError while the peer's next flight has not been written to incoming.</summary>
    public void DoHandshake()
    {
        if (handshake is null)
        {
            handshake = Task.Run(() => ServerSide
                ? stream.AuthenticateAsServerAsync(SelectServerOptions, null, CancellationToken.None)
                : stream.AuthenticateAsClientAsync(context.ClientOptions(ServerHostname, Validate)));
            Pulse(handshake);
        }
        if (handshakeError is not null) throw handshakeError;
        if (!Progress(handshake)) throw SslErrors.WantRead(SslErrors.HandshakeLine);
        if (handshake.IsFaulted || handshake.IsCanceled)
        {
            handshakeError = HandshakeFailure(handshake.Exception?.InnerException ?? new AuthenticationException("handshake failed"));
            throw handshakeError;
        }
    }

    bool Established => handshake is { IsCompletedSuccessfully: true };

    PySocketException HandshakeFailure(Exception ex)
    {
        lock (sync)
        {
            if (verifyFailure is (int code, string msg)) return SslErrors.CertVerify(code, msg);
            if (peerCertMissing) return SslErrors.Error(PyErrorKind.SSLError, 1, "SSL", "PEER_DID_NOT_RETURN_A_CERTIFICATE", "peer did not return a certificate", SslErrors.HandshakeLine, ex);
            if (inner.EofDelivered) return SslErrors.UnexpectedEof(SslErrors.HandshakeLine);
            if (context.EnabledProtocols == SslProtocols.None)
                return SslErrors.Error(PyErrorKind.SSLError, 1, "SSL", "NO_PROTOCOLS_AVAILABLE", "no protocols available", SslErrors.HandshakeLine, ex);
            if (inner.NotTls) return SslErrors.Error(PyErrorKind.SSLError, 1, "SSL", "WRONG_VERSION_NUMBER", "wrong version number", SslErrors.HandshakeLine);
            return SslErrors.FromTls(ex, SslErrors.HandshakeLine);
        }
    }

    ValueTask<SslServerAuthenticationOptions> SelectServerOptions(SslStream s, SslClientHelloInfo hello, object? state, CancellationToken token)
    {
        string? name = string.IsNullOrEmpty(hello.ServerName) ? null : hello.ServerName;
        if (context.SniCallback is not null && ServerNameCallback is not null)
        {
            object? result = ServerNameCallback?.Invoke(name);
            if (result is not null) throw new AuthenticationException("error:0A000412:SSL routines::sslv3 alert bad certificate");
        }
        if (!context.HasCertificate) throw new AuthenticationException("error:0A0000C1:SSL routines::no shared cipher");
        return ValueTask.FromResult(context.ServerOptions(Validate));
    }

    bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (context.VerifyMode == SslConstants.CERT_NONE) return true;
        if (certificate is null)
        {
            if (ServerSide && context.VerifyMode == SslConstants.CERT_OPTIONAL) return true;
            lock (sync) peerCertMissing = true;
            return false;
        }
        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        (int, string)? failure = CertVerifier.Verify(context, leaf, chain, ServerHostname, !ServerSide && context.CheckHostname, out byte[][]? verified);
        var captured = new PeerChain(PeerChain.Presented(leaf, chain), verified);
        lock (sync) peerChain = captured;
        if (failure is null) return true;
        lock (sync) verifyFailure = failure;
        return false;
    }

    // ---- data ----

    /// <summary><c>pending()</c>: decrypted bytes buffered.</summary>
    public int Pending() => plainEnd - plainStart;

    /// <summary><c>read(len)</c>.</summary>
    public byte[] Read(int len = 1024)
    {
        if (len < 0) throw PySocketException.ValueError("size should not be negative");
        byte[] buf = new byte[len];
        int n = ReadInto(buf);
        return n == len ? buf : buf[..n];
    }

    /// <summary><c>read(len, buffer)</c>: b"" / 0 after close_notify; SSLWantReadError when incoming lacks a record.</summary>
    public int ReadInto(Span<byte> dest)
    {
        if (plainEnd > plainStart)
        {
            int n = Math.Min(dest.Length, plainEnd - plainStart);
            readBuffer.AsSpan(plainStart, n).CopyTo(dest);
            plainStart += n;
            return n;
        }
        if (dest.Length == 0) return 0;
        if (closeNotifyReceived) return Closed();
        if (!Established) DoHandshake();
        int got = NextRecord(SslErrors.ReadLine);
        if (got == 0) return Closed();
        plainStart = 0;
        plainEnd = got;
        return ReadInto(dest);
    }

    /// <summary>
    /// The peer's close_notify: b"" (OpenSSL's SSL_RECEIVED_SHUTDOWN), but SSLZeroReturnError once we sent ours too
    /// (SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN), as CPython.
    /// </summary>
    int Closed() => shutdownSent
        ? throw SslErrors.Make(PyErrorKind.SSLZeroReturnError, SslConstants.SSL_ERROR_ZERO_RETURN, $"TLS/SSL connection has been closed (EOF) (_ssl.c:{SslErrors.ReadLine})", new SslErrorInfo(null, null))
        : 0;

    /// <summary>Reads the next decrypted chunk into readBuffer (0: close_notify).</summary>
    int NextRecord(int line)
    {
        if (pendingRead is null)
        {
            pendingRead = stream.ReadAsync(readBuffer.AsMemory()).AsTask();
            Pulse(pendingRead);
        }
        if (!Progress(pendingRead)) throw SslErrors.WantRead(line);
        Task<int> t = pendingRead;
        pendingRead = null;
        if (!t.IsCompletedSuccessfully)
        {
            // Read the fault first: the branches below may not need it, and an unread fault is an unobserved task
            // exception at finalization (the test assembly's hook counts them).
            Exception failure = t.Exception?.InnerException ?? new IOException("read failed");
            if (inner.NotTls) throw SslErrors.Error(PyErrorKind.SSLError, 1, "SSL", "WRONG_VERSION_NUMBER", "wrong version number", line);
            if (inner.EofDelivered) throw SslErrors.UnexpectedEof(line);
            throw SslErrors.FromTls(failure, line);
        }
        if (t.Result == 0)
        {
            if (inner.EofDelivered && !closeNotifyReceived) throw SslErrors.UnexpectedEof(line);
            closeNotifyReceived = true;
        }
        return t.Result;
    }

    /// <summary><c>write(data)</c>: encrypts all of it into outgoing.</summary>
    public int Write(ReadOnlySpan<byte> data)
    {
        if (!Established) DoHandshake();
        if (shutdownSent) throw SslErrors.Error(PyErrorKind.SSLZeroReturnError, SslConstants.SSL_ERROR_ZERO_RETURN, "SSL", "PROTOCOL_IS_SHUTDOWN", "protocol is shutdown", SslErrors.ReadLine);
        if (data.Length == 0) return 0;
        try
        {
            stream.Write(data);
        }
        catch (Exception ex) when (ex is IOException or AuthenticationException or InvalidOperationException)
        {
            throw SslErrors.FromTls(ex, SslErrors.ReadLine);
        }
        return data.Length;
    }

    /// <summary><c>shutdown()</c> (unwrap): sends close_notify, then SSLWantReadError until the peer's arrives.</summary>
    public void Shutdown()
    {
        if (!Established) DoHandshake();
        if (!shutdownSent)
        {
            shutdownSent = true;
            try
            {
                stream.ShutdownAsync().GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException)
            {
            }
        }
        while (!closeNotifyReceived)
        {
            if (NextRecord(SslErrors.ReadLine) == 0) break;
        }
    }

    // ---- introspection ----

    /// <summary><c>getpeercert(binary_form)</c>.</summary>
    public object? GetPeerCert(bool binaryForm = false)
    {
        if (!Established) throw PySocketException.ValueError("handshake not done yet");
        var cert = stream.RemoteCertificate;
        if (cert is null) return null;
        byte[] der = cert.GetRawCertData();
        if (binaryForm) return der;
        if (context.VerifyMode == SslConstants.CERT_NONE) return new Dictionary<string, object>();
        return CertDecoder.Decode(der);
    }

    /// <summary><c>get_verified_chain()</c>: DER certificates, leaf first, or None.</summary>
    public object[]? GetVerifiedChain()
    {
        lock (sync) return PeerChain.ToPython(peerChain?.Verified);
    }

    /// <summary><c>get_unverified_chain()</c>: DER certificates the peer sent, leaf first, or None.</summary>
    public object[]? GetUnverifiedChain()
    {
        lock (sync) return PeerChain.ToPython(peerChain?.Unverified);
    }

    /// <summary><c>cipher()</c>.</summary>
    public object[]? Cipher()
    {
        if (!Established) return null;
        TlsCipherSuite suite = stream.NegotiatedCipherSuite;
        return [CipherNames.OpenSslName(suite), Version()!, CipherNames.Bits(suite)];
    }

#pragma warning disable SYSLIB0039
    /// <summary><c>version()</c>.</summary>
    public string? Version() => !Established ? null : stream.SslProtocol switch
    {
        SslProtocols.Tls13 => "TLSv1.3",
        SslProtocols.Tls12 => "TLSv1.2",
        SslProtocols.Tls11 => "TLSv1.1",
        SslProtocols.Tls => "TLSv1",
        _ => "unknown",
    };
#pragma warning restore SYSLIB0039

    /// <summary><c>selected_alpn_protocol()</c>.</summary>
    public string? SelectedAlpnProtocol()
    {
        if (!Established) return null;
        SslApplicationProtocol p = stream.NegotiatedApplicationProtocol;
        return p.Protocol.IsEmpty ? null : p.ToString();
    }

    /// <summary><c>get_channel_binding("tls-unique")</c>, as <see cref="SslSocket.GetChannelBinding"/>.</summary>
    public byte[]? GetChannelBinding(string cbType = "tls-unique")
    {
        if (cbType != "tls-unique") throw PySocketException.ValueError($"'{cbType}' channel binding type not implemented");
        if (!Established) return null;
        try
        {
            using var cb = stream.TransportContext?.GetChannelBinding(System.Security.Authentication.ExtendedProtection.ChannelBindingKind.Unique);
            return cb is null ? null : SslObject.ChannelBindingData(cb);
        }
        catch (Exception ex) when (ex is NotSupportedException or PlatformNotSupportedException)
        {
            return null;
        }
    }

    /// <summary>
    /// The application data of a ChannelBinding: on Unix it is a SEC_CHANNEL_BINDINGS struct (8 uint32 = 32 bytes,
    /// the last two: data length and offset) whose data is "tls-unique:" + the Finished bytes Python returns.
    /// </summary>
    internal static byte[]? ChannelBindingData(System.Security.Authentication.ExtendedProtection.ChannelBinding cb)
    {
        if (cb.Size <= 32) return null;
        byte[] all = new byte[cb.Size];
        System.Runtime.InteropServices.Marshal.Copy(cb.DangerousGetHandle(), all, 0, cb.Size);
        int length = BitConverter.ToInt32(all, 24), offset = BitConverter.ToInt32(all, 28);
        if (offset < 32 || length <= 0 || offset + length > all.Length) { offset = 0; length = all.Length; }
        byte[] data = all.AsSpan(offset, length).ToArray();
        const int prefix = 11; // "tls-unique:"
        return data.Length > prefix && System.Text.Encoding.ASCII.GetString(data, 0, prefix) == "tls-unique:" ? data[prefix..] : data;
    }

    /// <summary>The in-memory stream under SslStream. Reads wait (as a pending task) until a call of ours pumps input in.</summary>
    sealed class BioStream : Stream
    {
        readonly SslObject owner;
        readonly MemoryBio incoming, outgoing;
        Memory<byte> waitingBuffer;
        TaskCompletionSource<int>? waiting;
        internal bool EofDelivered;
        internal bool NotTls;
        // Record framing of the bytes handed to SslStream, so that a record header that is not TLS is seen anywhere
        // in the stream (a corrupted connection), not only at its start: OpenSSL's WRONG_VERSION_NUMBER.
        int headerPos, bodyLeft;
        readonly byte[] header = new byte[5];

        public BioStream(SslObject owner, MemoryBio incoming, MemoryBio outgoing)
        {
            this.owner = owner;
            this.incoming = incoming;
            this.outgoing = outgoing;
        }

        /// <summary>Under the owner's lock: SslStream waits for input incoming does not have.</summary>
        internal bool Starved => waiting is not null && incoming.Pending == 0 && !incoming.EofWritten;

        /// <summary>Under the owner's lock: completes a waiting read if incoming has bytes (or EOF).</summary>
        internal void Pump()
        {
            if (waiting is null || (incoming.Pending == 0 && !incoming.EofWritten)) return;
            int n = Take(waitingBuffer.Span);
            TaskCompletionSource<int> w = waiting;
            waiting = null;
            waitingBuffer = default;
            w.SetResult(n);
        }

        int Take(Span<byte> dest)
        {
            int n = incoming.ReadInto(dest);
            if (n == 0) EofDelivered = true;
            else Track(dest[..n]);
            return n;
        }

        void Track(ReadOnlySpan<byte> got)
        {
            int i = 0;
            while (i < got.Length && !NotTls)
            {
                if (bodyLeft > 0)
                {
                    int k = Math.Min(bodyLeft, got.Length - i);
                    bodyLeft -= k;
                    i += k;
                    continue;
                }
                byte b = got[i++];
                // A TLS record starts with a content type 20..24; anything else is not TLS.
                if (headerPos == 0 && b is < 20 or > 24) NotTls = true;
                header[headerPos++] = b;
                if (headerPos == header.Length)
                {
                    bodyLeft = (header[3] << 8) | header[4];
                    headerPos = 0;
                }
            }
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            lock (owner.Sync)
            {
                if (buffer.Length == 0) return ValueTask.FromResult(0);
                if (incoming.Pending > 0 || incoming.EofWritten) return ValueTask.FromResult(Take(buffer.Span));
                waiting = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
                waitingBuffer = buffer;
                Monitor.PulseAll(owner.Sync);
                return new ValueTask<int>(waiting.Task);
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override void Write(byte[] buffer, int offset, int count) => outgoing.Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer) => outgoing.Write(buffer);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            outgoing.Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            outgoing.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public override bool CanRead => true;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
