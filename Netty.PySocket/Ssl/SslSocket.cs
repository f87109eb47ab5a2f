using System.Net.Security;
using System.Security.Authentication;
using System.Security.Authentication.ExtendedProtection;
using Netty.PySocket.Errors;
using Netty.PySocket.Socket;

namespace Netty.PySocket.Ssl;

/// <summary>
/// CPython 3.11's <c>ssl.SSLSocket</c>: a socket whose channel pipeline holds a <see cref="TlsHandler"/> before
/// the socket handler. Blocking, timeout and non-blocking modes use the socket's timeout and the core's one wait;
/// non-blocking calls raise SSLWantReadError/SSLWantWriteError where CPython does.
/// </summary>
public sealed class SslSocket
{
    readonly SocketObject sock;
    SslContext context;
    TlsHandler? tls;
    bool unwrapped;

    internal SslSocket(SslContext context, SocketObject original, bool serverSide, bool doHandshakeOnConnect, bool suppressRaggedEofs, string? serverHostname, bool takeOver = true)
    {
        this.context = context;
        ServerSide = serverSide;
        DoHandshakeOnConnect = doHandshakeOnConnect;
        SuppressRaggedEofs = suppressRaggedEofs;
        ServerHostname = serverHostname;
        double? timeout = original.GetTimeout();
        SocketCore core = original.Core;
        if (takeOver)
        {
            // As CPython, the SSLSocket takes the descriptor over; the original socket object is detached (fileno -1).
            int fd = original.Detach();
            sock = SocketObject.FromFd(fd);
            sock.SetTimeout(timeout);
        }
        else
        {
            // In place (a Python binding's ssl.SSLSocket already is the socket object): share it, timeout included.
            sock = original;
        }
        if (core.State == SocketState.Connected) Attach(doHandshakeOnConnect);
    }

    /// <summary><c>context</c>; settable (an sni_callback may switch a server socket's context).</summary>
    public SslContext Context
    {
        get => context;
        set => context = value ?? throw PySocketException.TypeError("The value must be a SSLContext");
    }

    /// <summary><c>server_side</c>.</summary>
    public bool ServerSide { get; }
    /// <summary><c>server_hostname</c>.</summary>
    public string? ServerHostname { get; }
    /// <summary><c>do_handshake_on_connect</c>.</summary>
    public bool DoHandshakeOnConnect { get; }
    /// <summary><c>suppress_ragged_eofs</c>.</summary>
    public bool SuppressRaggedEofs { get; set; }

    /// <summary>The socket object underneath (timeout, fileno, getsockname, ...).</summary>
    public SocketObject Socket => sock;

    SocketCore Core => sock.Core;

    Deadline CurrentDeadline => Deadline.FromTimeout(sock.GetTimeout());

    void Attach(bool handshake)
    {
        SocketCore core = Core;
        var handler = new TlsHandler(core, this);
        try
        {
            core.InsertTlsHandler(TlsHandler.Name, handler, (pending, eof) =>
            {
                handler.Inner.Feed(pending);
                if (eof) handler.Inner.FeedEof();
            }).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is not PySocketException)
        {
            throw ErrorTable.Translate(ex);
        }
        tls = handler;
        if (handshake) DoHandshake();
        // A server sends nothing before the ClientHello, so its handshake may start now: with
        // do_handshake_on_connect=False, event-loop servers (asyncore) wait for the socket to turn readable before
        // calling do_handshake, and the ClientHello goes to the TLS layer, not to recv. The handshake's end makes the
        // socket readable (SocketCore.TlsSignal), and do_handshake then completes at once.
        else if (ServerSide) handler.StartHandshake();
    }

    TlsHandler Tls => Current ?? throw (unwrapped ? PySocketException.ValueError("No SSL wrapper around " + this) : PySocketException.OSError(Errno.ENOTCONN));

    /// <summary>
    /// The TLS handler; a socket wrapped in place before it connected (ssl.py wraps, then connects the socket
    /// itself) gets it on first use once connected.
    /// </summary>
    TlsHandler? Current
    {
        get
        {
            if (tls is null && !unwrapped && Core.State == SocketState.Connected) Attach(handshake: false);
            return tls;
        }
    }

    // ---- connection ----

    /// <summary><c>connect(address)</c> for a socket wrapped before connecting: connects, then handshakes if asked to.</summary>
    public void Connect(object? address)
    {
        if (tls is not null) throw PySocketException.ValueError("attempt to connect already-connected SSLSocket!");
        sock.Connect(address);
        Attach(DoHandshakeOnConnect);
    }

    /// <summary><c>connect_ex(address)</c>.</summary>
    public int ConnectEx(object? address)
    {
        if (tls is not null) throw PySocketException.ValueError("attempt to connect already-connected SSLSocket!");
        int rc = sock.ConnectEx(address);
        if (rc == 0) Attach(DoHandshakeOnConnect);
        return rc;
    }

    /// <summary><c>accept()</c> on a wrapped listening socket: every accepted connection is wrapped server-side.</summary>
    public SslSocket Accept(out object address)
    {
        SocketObject child = sock.AcceptSocket(out address);
        return context.WrapSocket(child, serverSide: true, DoHandshakeOnConnect, SuppressRaggedEofs);
    }

    /// <summary><c>do_handshake()</c>: SSLWantReadError non-blocking while it runs; "_ssl.c:989: The handshake operation timed out".</summary>
    public void DoHandshake()
    {
        TlsHandler t = Tls;
        t.StartHandshake();
        Core.WaitTlsHandshake(t, () => t.Phase is TlsPhase.Established or TlsPhase.Failed, CurrentDeadline,
            d => d.IsNonBlocking ? SslErrors.WantRead(SslErrors.HandshakeLine) : SslErrors.Timeout("_ssl.c:989: The handshake operation timed out"));
        if (Core.UnderLock(() => t.Phase) == TlsPhase.Failed) throw Core.UnderLock(() => t.HandshakeError!);
        Core.TlsHandshakeSeen();
    }

    void EnsureHandshake(bool reading)
    {
        TlsHandler t = Tls;
        if (Core.UnderLock(() => t.Phase) == TlsPhase.Established)
        {
            Core.TlsHandshakeSeen();
            return;
        }
        t.StartHandshake();
        Core.WaitTlsHandshake(t, () => t.Phase is TlsPhase.Established or TlsPhase.Failed, CurrentDeadline,
            d => d.IsNonBlocking ? SslErrors.WantRead() : SslErrors.Timeout(reading ? "The read operation timed out" : "The write operation timed out"));
        if (Core.UnderLock(() => t.Phase) == TlsPhase.Failed) throw Core.UnderLock(() => t.HandshakeError!);
        Core.TlsHandshakeSeen();
    }

    static PySocketException ReadBlocked(Deadline d) => d.IsNonBlocking ? SslErrors.WantRead() : SslErrors.Timeout("The read operation timed out");
    static PySocketException WriteBlocked(Deadline d) => d.IsNonBlocking ? SslErrors.WantWrite() : SslErrors.Timeout("The write operation timed out");

    // ---- data ----

    const int MaxReadAllocation = 64 * 1024;

    /// <summary><c>read(len=1024, buffer=None)</c>: b"" after close_notify (or a suppressed ragged EOF).</summary>
    public byte[] Read(int len = 1024)
    {
        if (len < 0) throw PySocketException.ValueError("size should not be negative");
        // A read returns at most what is decrypted (OpenSSL: one record, 16 KiB); read(2**31-1) must not allocate 2 GiB.
        byte[] buf = new byte[Math.Min(len, MaxReadAllocation)];
        int n = ReadInto(buf);
        return n == buf.Length ? buf : buf[..n];
    }

    /// <summary><c>read(len, buffer)</c>: bytes read into <paramref name="buffer"/>.</summary>
    public int ReadInto(Span<byte> buffer)
    {
        if (unwrapped) return sock.RecvInto(buffer);
        TlsHandler t = Tls;
        EnsureHandshake(reading: true);
        return Core.ReceiveTls(buffer, t, CurrentDeadline, ReadBlocked);
    }

    /// <summary><c>recv(bufsize, flags=0)</c>.</summary>
    public byte[] Recv(int bufsize, int flags = 0)
    {
        if (unwrapped || Current is null) return sock.Recv(bufsize, flags);
        CheckNoFlags(flags, "recv");
        if (bufsize < 0) throw PySocketException.ValueError("negative buffersize in recv");
        return Read(bufsize);
    }

    /// <summary><c>recv_into(buffer, nbytes=None, flags=0)</c>.</summary>
    public int RecvInto(Span<byte> buffer, int nbytes = 0, int flags = 0)
    {
        if (unwrapped || Current is null) return sock.RecvInto(buffer, nbytes, flags);
        CheckNoFlags(flags, "recv_into");
        if (nbytes < 0) throw PySocketException.ValueError("negative buffersize in recv_into");
        if (nbytes == 0) nbytes = buffer.Length;
        return ReadInto(buffer[..Math.Min(nbytes, buffer.Length)]);
    }

    /// <summary><c>write(data)</c> / <c>send(data)</c>: the bytes taken.</summary>
    public int Write(ReadOnlySpan<byte> data)
    {
        if (unwrapped) return sock.Send(data);
        TlsHandler t = Tls;
        EnsureHandshake(reading: false);
        if (Core.UnderLock(() => t.CloseNotifySent)) throw SslErrors.Error(PyErrorKind.SSLZeroReturnError, SslConstants.SSL_ERROR_ZERO_RETURN, "SSL", "PROTOCOL_IS_SHUTDOWN", "protocol is shutdown", SslErrors.ReadLine);
        return Core.SendTls(data, CurrentDeadline, WriteBlocked);
    }

    /// <summary><c>send(data, flags=0)</c>.</summary>
    public int Send(ReadOnlySpan<byte> data, int flags = 0)
    {
        if (unwrapped || Current is null) return sock.Send(data, flags);
        CheckNoFlags(flags, "send");
        return Write(data);
    }

    /// <summary><c>sendall(data, flags=0)</c>.</summary>
    public void SendAll(ReadOnlySpan<byte> data, int flags = 0)
    {
        if (unwrapped || Current is null)
        {
            sock.SendAll(data, flags);
            return;
        }
        CheckNoFlags(flags, "sendall");
        EnsureHandshake(reading: false);
        Core.SendAllTls(data, CurrentDeadline, WriteBlocked);
    }

    void CheckNoFlags(int flags, string method)
    {
        if (flags != 0) throw PySocketException.ValueError($"non-zero flags not allowed in calls to {method}() on <class 'ssl.SSLSocket'>");
    }

    /// <summary><c>pending()</c>: decrypted bytes ready for recv without blocking.</summary>
    public int Pending() => unwrapped || Current is null ? 0 : Core.TlsPending;

    // ---- unwrap / close ----

    /// <summary>
    /// <c>unwrap()</c>: sends close_notify, waits for the peer's (SSLWantReadError when non-blocking), removes the
    /// TLS handler and returns the plain socket; bytes the peer sent after its close_notify are read as plain data.
    /// </summary>
    public SocketObject Unwrap()
    {
        TlsHandler t = Tls;
        if (Core.UnderLock(() => t.Phase) != TlsPhase.Established) EnsureHandshake(reading: true);
        t.SendCloseNotify();
        Core.WaitTls(() => t.CloseNotifyReceived || t.RaggedEof || t.ReadError is not null, CurrentDeadline, ReadBlocked);
        Core.UnderLock(() =>
        {
            if (t.ReadError is not null) throw t.ReadError;
            if (t.RaggedEof) throw SslErrors.UnexpectedEof(SslErrors.ReadLine);
            return 0;
        });
        Core.RemoveTlsHandler(TlsHandler.Name, () => (t.Inner.TakeRest(out bool eof), eof)).GetAwaiter().GetResult();
        unwrapped = true;
        tls = null;
        return sock;
    }

    /// <summary><c>close()</c>: closes the socket (no close_notify, as CPython).</summary>
    public void Close() => sock.Close();

    /// <summary><c>shutdown(how)</c> on the socket (CPython drops the TLS object without close_notify).</summary>
    public void Shutdown(int how) => sock.Shutdown(how);

    /// <summary><c>fileno()</c>.</summary>
    public int Fileno() => sock.Fileno();
    /// <summary><c>gettimeout()</c>.</summary>
    public double? GetTimeout() => sock.GetTimeout();
    /// <summary><c>settimeout()</c>.</summary>
    public void SetTimeout(double? seconds) => sock.SetTimeout(seconds);
    /// <summary><c>setblocking()</c>.</summary>
    public void SetBlocking(bool flag) => sock.SetBlocking(flag);

    // ---- introspection ----

    SslStream? Established()
    {
        TlsHandler? t = Current;
        if (t is null) return null;
        return Core.UnderLock(() => t.Phase == TlsPhase.Established) ? t.Stream : null;
    }

    /// <summary><c>getpeercert(binary_form)</c>: None without a certificate, {} if it was not verified, else the dict (or DER).</summary>
    public object? GetPeerCert(bool binaryForm = false)
    {
        if (Current is null && !unwrapped) throw PySocketException.OSError(Errno.ENOTCONN);
        SslStream s = Established() ?? throw PySocketException.ValueError("handshake not done yet");
        var cert = s.RemoteCertificate;
        if (cert is null) return null;
        byte[] der = cert.GetRawCertData();
        if (binaryForm) return der;
        if (context.VerifyMode == SslConstants.CERT_NONE) return new Dictionary<string, object>();
        return CertDecoder.Decode(der);
    }

    /// <summary><c>get_verified_chain()</c>: DER certificates, leaf first, or None.</summary>
    public object[]? GetVerifiedChain()
    {
        TlsHandler? t = Current;
        return t is null ? null : Core.UnderLock(() => PeerChain.ToPython(t.PeerChain?.Verified));
    }

    /// <summary><c>get_unverified_chain()</c>: DER certificates the peer sent, leaf first, or None.</summary>
    public object[]? GetUnverifiedChain()
    {
        TlsHandler? t = Current;
        return t is null ? null : Core.UnderLock(() => PeerChain.ToPython(t.PeerChain?.Unverified));
    }

    /// <summary><c>cipher()</c>: (name, protocol, secret bits), or None before the handshake.</summary>
    public object[]? Cipher()
    {
        SslStream? s = Established();
        if (s is null) return null;
        TlsCipherSuite suite = s.NegotiatedCipherSuite;
        return [CipherNames.OpenSslName(suite), VersionName(s.SslProtocol), CipherNames.Bits(suite)];
    }

    /// <summary><c>version()</c>: "TLSv1.3", "TLSv1.2", ... or None before the handshake.</summary>
    public string? Version()
    {
        SslStream? s = Established();
        return s is null ? null : VersionName(s.SslProtocol);
    }

#pragma warning disable SYSLIB0039
    static string VersionName(SslProtocols p) => p switch
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
        SslStream? s = Established();
        if (s is null) return null;
        SslApplicationProtocol p = s.NegotiatedApplicationProtocol;
        return p.Protocol.IsEmpty ? null : p.ToString();
    }

    /// <summary><c>compression()</c>: always None (OpenSSL 3 builds have no TLS compression either).</summary>
    public string? Compression() => null;

    /// <summary><c>session_reused</c>: .NET does not report resumption, so False.</summary>
    public bool SessionReused => false;

    /// <summary><c>get_channel_binding("tls-unique")</c>: the Finished message where .NET exposes it, else None.</summary>
    public byte[]? GetChannelBinding(string cbType = "tls-unique")
    {
        if (cbType != "tls-unique") throw PySocketException.ValueError($"'{cbType}' channel binding type not implemented");
        SslStream? s = Established();
        if (s is null) return null;
        try
        {
            using ChannelBinding? cb = s.TransportContext?.GetChannelBinding(ChannelBindingKind.Unique);
            return cb is null ? null : SslObject.ChannelBindingData(cb);
        }
        catch (Exception ex) when (ex is NotSupportedException or PlatformNotSupportedException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"<ssl.SSLSocket fd={sock.Fileno()}>";
}
