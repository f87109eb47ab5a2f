using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Netty.PySocket.Errors;
using Netty.PySocket.Net;
using Netty.PySocket.Socket;

namespace Netty.PySocket.Ssl;

/// <summary>
/// CPython 3.11's <c>ssl.SSLContext</c> over .NET's SslStream: protocol, verification settings, certificates and
/// keys, ciphers, protocol bounds, ALPN and the SNI callback; <c>WrapSocket</c> makes an <see cref="SslSocket"/>.
/// </summary>
public sealed class SslContext
{
    int verifyMode;
    bool checkHostname;
    int minimumVersion, maximumVersion = SslConstants.MAXIMUM_SUPPORTED;
    internal readonly X509Certificate2Collection CaCertificates = new();
    X509Certificate2? certificate;
    X509Certificate2Collection chainExtra = new();
    SslStreamCertificateContext? certificateContext;
    string[]? alpn;
    internal CipherSuitesPolicy? CipherPolicy;

    /// <summary><c>SSLContext(protocol)</c>: PROTOCOL_TLS_CLIENT, PROTOCOL_TLS_SERVER or PROTOCOL_TLS.</summary>
    public SslContext(int protocol = SslConstants.PROTOCOL_TLS)
    {
        if (protocol is not (SslConstants.PROTOCOL_TLS or SslConstants.PROTOCOL_TLS_CLIENT or SslConstants.PROTOCOL_TLS_SERVER))
            throw PySocketException.ValueError("invalid or unsupported protocol version " + protocol);
        Protocol = protocol;
        Options = SslConstants.DefaultOptions;
        minimumVersion = SslConstants.TLSv1_2;
        if (protocol == SslConstants.PROTOCOL_TLS_CLIENT)
        {
            verifyMode = SslConstants.CERT_REQUIRED;
            checkHostname = true;
        }
    }

    /// <summary><c>ssl.create_default_context(purpose, cafile, capath, cadata)</c>; serverSide = Purpose.CLIENT_AUTH.</summary>
    public static SslContext CreateDefault(bool serverSide = false, string? cafile = null, string? capath = null, object? cadata = null)
    {
        var ctx = new SslContext(serverSide ? SslConstants.PROTOCOL_TLS_SERVER : SslConstants.PROTOCOL_TLS_CLIENT);
        if (cafile is not null || capath is not null || cadata is not null) ctx.LoadVerifyLocations(cafile, capath, cadata);
        else if (ctx.VerifyMode != SslConstants.CERT_NONE) ctx.LoadDefaultCerts();
        return ctx;
    }

    /// <summary><c>protocol</c>.</summary>
    public int Protocol { get; }

    /// <summary><c>options</c> (OP_* bits; OP_NO_TLSv1_x restrict the protocol versions offered).</summary>
    public long Options { get; set; }

    /// <summary><c>hostname_checks_common_name</c>: fall back to the subject CN when there is no DNS SAN.</summary>
    public bool HostnameChecksCommonName { get; set; }

    /// <summary><c>post_handshake_auth</c>: accepted; .NET requests client certificates during the handshake only.</summary>
    public bool PostHandshakeAuth { get; set; }

    /// <summary><c>verify_flags</c>: stored (VERIFY_DEFAULT semantics are what .NET's chain builder gives).</summary>
    public int VerifyFlags { get; set; }

    /// <summary><c>sni_callback(sslsocket, server_name, sslcontext)</c>: may set sslsocket.Context; a non-null result fails the handshake.</summary>
    public Func<SslSocket, string?, SslContext, object?>? SniCallback { get; set; }

    /// <summary><c>verify_mode</c> with CPython's coupling: CERT_NONE is refused while check_hostname is on.</summary>
    public int VerifyMode
    {
        get => verifyMode;
        set
        {
            if (value is < 0 or > 2) throw PySocketException.ValueError("invalid value for verify_mode");
            if (value == SslConstants.CERT_NONE && checkHostname)
                throw PySocketException.ValueError("Cannot set verify_mode to CERT_NONE when check_hostname is enabled.");
            verifyMode = value;
        }
    }

    /// <summary><c>check_hostname</c>; turning it on with CERT_NONE switches verify_mode to CERT_REQUIRED.</summary>
    public bool CheckHostname
    {
        get => checkHostname;
        set
        {
            if (value && verifyMode == SslConstants.CERT_NONE) verifyMode = SslConstants.CERT_REQUIRED;
            checkHostname = value;
        }
    }

    /// <summary><c>minimum_version</c> (a TLSVersion value).</summary>
    public int MinimumVersion
    {
        get => minimumVersion;
        set => minimumVersion = CheckVersion(value);
    }

    /// <summary><c>maximum_version</c> (a TLSVersion value).</summary>
    public int MaximumVersion
    {
        get => maximumVersion;
        set => maximumVersion = CheckVersion(value);
    }

    int CheckVersion(int v)
    {
        if (Protocol == SslConstants.PROTOCOL_TLS && false) return v;
        if (v is SslConstants.MINIMUM_SUPPORTED or SslConstants.MAXIMUM_SUPPORTED or (>= SslConstants.SSLv3 and <= SslConstants.TLSv1_3)) return v;
        throw PySocketException.ValueError($"Unsupported TLS/SSL version 0x{v:x}");
    }

#pragma warning disable SYSLIB0039 // TLS 1.0/1.1: offered only when the user's bounds ask for them
    /// <summary>The versions the bounds and OP_NO_* options leave (None: handshake fails "no protocols available").</summary>
    internal SslProtocols EnabledProtocols
    {
        get
        {
            int min = minimumVersion == SslConstants.MINIMUM_SUPPORTED ? SslConstants.TLSv1 : minimumVersion;
            int max = maximumVersion == SslConstants.MAXIMUM_SUPPORTED ? SslConstants.TLSv1_3 : maximumVersion;
            SslProtocols p = SslProtocols.None;
            void Add(int v, long op, SslProtocols sp)
            {
                if (v >= min && v <= max && (Options & op) == 0) p |= sp;
            }
            Add(SslConstants.TLSv1, SslConstants.OP_NO_TLSv1, SslProtocols.Tls);
            Add(SslConstants.TLSv1_1, SslConstants.OP_NO_TLSv1_1, SslProtocols.Tls11);
            Add(SslConstants.TLSv1_2, SslConstants.OP_NO_TLSv1_2, SslProtocols.Tls12);
            Add(SslConstants.TLSv1_3, SslConstants.OP_NO_TLSv1_3, SslProtocols.Tls13);
            return p;
        }
    }
#pragma warning restore SYSLIB0039

    // ---- certificates ----

    /// <summary><c>load_verify_locations(cafile, capath, cadata)</c>: cadata as PEM str or DER bytes.</summary>
    public void LoadVerifyLocations(string? cafile = null, string? capath = null, object? cadata = null)
    {
        if (cafile is null && capath is null && cadata is null)
            throw PySocketException.TypeError("cafile, capath and cadata cannot be all omitted");
        NoNul(cafile);
        NoNul(capath);
        if (cadata is not null)
        {
            switch (cadata)
            {
                case string pem:
                    var fromPem = ParsePemCertificates(pem);
                    if (fromPem.Count == 0)
                        throw SslErrors.Make(PyErrorKind.SSLError, 0, $"no start line: cadata does not contain a certificate (_ssl.c:{SslErrors.CadataLine})", new SslErrorInfo("PEM", "NO_START_LINE"));
                    CaCertificates.AddRange(fromPem);
                    break;
                case byte[] der:
                    int n = 0;
                    try
                    {
                        foreach (byte[] one in SplitDer(der))
                        {
                            CaCertificates.Add(X509CertificateLoader.LoadCertificate(one));
                            n++;
                        }
                    }
                    catch (Exception ex) when (ex is CryptographicException or System.Formats.Asn1.AsnContentException)
                    {
                        n = 0;
                    }
                    if (n == 0)
                        throw SslErrors.Make(PyErrorKind.SSLError, 0, $"not enough data: cadata does not contain a certificate (_ssl.c:{SslErrors.CadataLine})", new SslErrorInfo("ASN1", "NOT_ENOUGH_DATA"));
                    break;
                default:
                    throw PySocketException.TypeError("cadata should be an ASCII string or a bytes-like object");
            }
        }
        if (cafile is not null)
        {
            string text = ReadFile(cafile);
            var certs = ParsePemCertificates(text);
            if (certs.Count == 0) throw SslErrors.Make(PyErrorKind.SSLError, 136, $"[X509: NO_CERTIFICATE_OR_CRL_FOUND] no certificate or crl found (_ssl.c:{SslErrors.CadataLine + 43})", new SslErrorInfo("X509", "NO_CERTIFICATE_OR_CRL_FOUND"));
            CaCertificates.AddRange(certs);
        }
        if (capath is not null)
        {
            if (!Directory.Exists(capath)) throw PySocketException.OSError(Errno.ENOENT);
            foreach (string f in Directory.EnumerateFiles(capath))
            {
                try
                {
                    CaCertificates.AddRange(ParsePemCertificates(File.ReadAllText(f)));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
                {
                    // OpenSSL looks capath files up lazily and skips unreadable ones.
                }
            }
        }
    }

    /// <summary><c>load_default_certs()</c>: the system CA bundle (get_default_verify_paths().cafile).</summary>
    public void LoadDefaultCerts(bool serverSide = false)
    {
        var paths = SslModule.GetDefaultVerifyPaths();
        string? file = Environment.GetEnvironmentVariable("SSL_CERT_FILE") ?? paths.Cafile;
        if (file is not null && File.Exists(file))
        {
            try
            {
                CaCertificates.AddRange(ParsePemCertificates(File.ReadAllText(file)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    /// <summary><c>cert_store_stats()</c>: {'x509': n, 'crl': 0, 'x509_ca': ca}.</summary>
    public Dictionary<string, int> CertStoreStats()
    {
        int ca = CaCertificates.Count(IsCa);
        return new Dictionary<string, int> { ["x509"] = CaCertificates.Count, ["crl"] = 0, ["x509_ca"] = ca };
    }

    /// <summary><c>get_ca_certs(binary_form)</c>: CA certificates loaded, as dicts or DER.</summary>
    public List<object> GetCaCerts(bool binaryForm = false) =>
        CaCertificates.Where(IsCa).Select(c => binaryForm ? (object)c.RawData : CertDecoder.Decode(c.RawData)).ToList();

    static bool IsCa(X509Certificate2 c) => c.Extensions.OfType<X509BasicConstraintsExtension>().Any(b => b.CertificateAuthority);

    /// <summary><c>load_cert_chain(certfile, keyfile, password)</c>: password as str, bytes or a callable returning one.</summary>
    public void LoadCertChain(string certfile, string? keyfile = null, object? password = null)
    {
        if (password is not (null or string or byte[] or Func<object?>))
            throw PySocketException.TypeError("password should be a string or callable");
        NoNul(certfile);
        NoNul(keyfile);
        string certText = ReadFile(certfile);
        string keyText = keyfile is null ? certText : ReadFile(keyfile);
        var certs = ParsePemCertificates(certText);
        if (certs.Count == 0) throw SslErrors.PemLib(SslErrors.CertFileLine);
        X509Certificate2 leaf = certs[0];
        AsymmetricAlgorithm key = LoadKey(keyText, password);
        X509Certificate2 withKey;
        try
        {
            withKey = key switch
            {
                RSA rsa => leaf.CopyWithPrivateKey(rsa),
                ECDsa ec => leaf.CopyWithPrivateKey(ec),
                _ => throw new ArgumentException("unsupported key"),
            };
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            throw SslErrors.Make(PyErrorKind.SSLError, 116, $"[X509: KEY_VALUES_MISMATCH] key values mismatch (_ssl.c:{SslErrors.CertChainLine})", new SslErrorInfo("X509", "KEY_VALUES_MISMATCH"), ex);
        }
        certificate = withKey;
        chainExtra = new X509Certificate2Collection();
        for (int i = 1; i < certs.Count; i++) chainExtra.Add(certs[i]);
        certificateContext = null;
    }

    static AsymmetricAlgorithm LoadKey(string pem, object? password)
    {
        bool encrypted = pem.Contains("ENCRYPTED", StringComparison.Ordinal);
        if (!pem.Contains("PRIVATE KEY-----", StringComparison.Ordinal)) throw SslErrors.PemLib(SslErrors.CertChainLine);
        ReadOnlySpan<byte> pw = default;
        if (encrypted)
        {
            object? p = password is Func<object?> f ? f() : password;
            if (password is Func<object?> && p is not (string or byte[])) throw PySocketException.TypeError("password callback must return a string");
            pw = p switch
            {
                string s => Encoding.UTF8.GetBytes(s),
                byte[] b => b,
                _ => default,
            };
            if (pw.Length > 1023) throw PySocketException.ValueError("password cannot be longer than 1023 bytes");
            if (p is null) throw SslErrors.PemLib(SslErrors.CertChainLine);
        }
        foreach (Func<AsymmetricAlgorithm> make in new Func<AsymmetricAlgorithm>[] { RSA.Create, ECDsa.Create })
        {
            AsymmetricAlgorithm key = make();
            try
            {
                if (encrypted) key.ImportFromEncryptedPem(pem, pw);
                else key.ImportFromPem(pem);
                return key;
            }
            catch (Exception ex) when (ex is ArgumentException or CryptographicException)
            {
                key.Dispose();
            }
        }
        throw SslErrors.PemLib(SslErrors.CertChainLine);
    }

    /// <summary>CPython converts every path argument first (PyUnicode_FSConverter): a NUL is a ValueError.</summary>
    static void NoNul(string? path)
    {
        if (path is not null && path.Contains('\0')) throw PySocketException.ValueError("embedded null byte");
    }

    static string ReadFile(string path)
    {
        if (path.Length == 0) throw PySocketException.OSError(Errno.ENOENT); // open("") in C; .NET throws ArgumentException
        try
        {
            return File.ReadAllText(path);
        }
        catch (FileNotFoundException)
        {
            throw PySocketException.OSError(Errno.ENOENT);
        }
        catch (DirectoryNotFoundException)
        {
            throw PySocketException.OSError(Errno.ENOENT);
        }
        catch (UnauthorizedAccessException)
        {
            throw PySocketException.OSError(Errno.EACCES);
        }
        catch (IOException ex)
        {
            throw PySocketException.OSError(Errno.EIO, ex);
        }
    }

    static X509Certificate2Collection ParsePemCertificates(string text)
    {
        var list = new X509Certificate2Collection();
        const string begin = "-----BEGIN CERTIFICATE-----", end = "-----END CERTIFICATE-----";
        int at = 0;
        while ((at = text.IndexOf(begin, at, StringComparison.Ordinal)) >= 0)
        {
            int stop = text.IndexOf(end, at, StringComparison.Ordinal);
            if (stop < 0) break;
            string b64 = text[(at + begin.Length)..stop];
            try
            {
                list.Add(X509CertificateLoader.LoadCertificate(Convert.FromBase64String(b64)));
            }
            catch (FormatException)
            {
            }
            at = stop + end.Length;
        }
        return list;
    }

    static IEnumerable<byte[]> SplitDer(byte[] der)
    {
        var list = new List<byte[]>();
        ReadOnlyMemory<byte> rest = der;
        while (rest.Length > 0)
        {
            var reader = new System.Formats.Asn1.AsnReader(rest, System.Formats.Asn1.AsnEncodingRules.DER);
            ReadOnlyMemory<byte> one = reader.ReadEncodedValue();
            list.Add(one.ToArray());
            rest = rest[one.Length..];
        }
        return list;
    }

    // ---- ciphers, ALPN ----

    /// <summary><c>set_ciphers(spec)</c>: OpenSSL cipher-list syntax over the TLS 1.2 suites .NET can negotiate.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void SetCiphers(string spec)
    {
        var chosen = CipherNames.Select(spec);
        if (chosen.Count == 0) throw SslErrors.Make(PyErrorKind.SSLError, null, "No cipher can be selected.", null);
        CipherPolicy = new CipherSuitesPolicy(CipherNames.Tls13Suites.Concat(chosen));
    }

    /// <summary><c>set_alpn_protocols(protocols)</c>.</summary>
    public void SetAlpnProtocols(IEnumerable<string> protocols)
    {
        var list = protocols.ToArray();
        foreach (string p in list)
        {
            int n = Encoding.UTF8.GetByteCount(p);
            if (n == 0 || n > 255) throw SslErrors.Make(PyErrorKind.SSLError, null, "ALPN protocols must be 1 to 255 in length", null);
        }
        alpn = list;
    }

    /// <summary>What get_ciphers() would name for this context (OpenSSL names, TLS 1.3 suites first).</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public List<string> CipherNamesEnabled() =>
        (CipherPolicy?.AllowedCipherSuites ?? CipherNames.Default).Select(CipherNames.OpenSslName).ToList();

    // ---- wrapping ----

    /// <summary><c>wrap_socket(sock, server_side, do_handshake_on_connect, suppress_ragged_eofs, server_hostname)</c>.</summary>
    public SslSocket WrapSocket(SocketObject sock, bool serverSide = false, bool doHandshakeOnConnect = true, bool suppressRaggedEofs = true, string? serverHostname = null)
        => WrapSocket(sock, serverSide, doHandshakeOnConnect, suppressRaggedEofs, serverHostname, takeOver: true);

    /// <summary>
    /// <c>_SSLContext._wrap_socket</c> for a binding: with <paramref name="takeOver"/> false the TLS layer is added to
    /// <paramref name="sock"/> itself (same descriptor, same timeout), as CPython's _ssl wraps the Python socket in place.
    /// </summary>
    public SslSocket WrapSocket(SocketObject sock, bool serverSide, bool doHandshakeOnConnect, bool suppressRaggedEofs, string? serverHostname, bool takeOver)
    {
        // ssl.py checks the socket type first (SO_TYPE); DTLS is not provided, as in CPython.
        if (sock.Type != SocketConstants.SOCK_STREAM) throw PySocketException.NotImplemented("only stream sockets are supported");
        if (serverSide && serverHostname is not null) throw PySocketException.ValueError("server_hostname can only be specified in client mode");
        if (checkHostname && !serverSide && string.IsNullOrEmpty(serverHostname)) throw PySocketException.ValueError("check_hostname requires server_hostname");
        if (checkHostname && serverSide && serverHostname is null && Protocol == SslConstants.PROTOCOL_TLS_CLIENT)
            throw PySocketException.ValueError("check_hostname requires server_hostname");
        if (serverSide && Protocol == SslConstants.PROTOCOL_TLS_CLIENT) throw PySocketException.ValueError("Cannot create a server socket with a PROTOCOL_TLS_CLIENT context");
        if (!serverSide && Protocol == SslConstants.PROTOCOL_TLS_SERVER) throw PySocketException.ValueError("Cannot create a client socket with a PROTOCOL_TLS_SERVER context");
        if (serverHostname is not null && (serverHostname.Length == 0 || serverHostname.StartsWith('.')))
            throw PySocketException.ValueError("server_hostname cannot be an empty string or start with a leading dot.");
        return new SslSocket(this, sock, serverSide, doHandshakeOnConnect, suppressRaggedEofs, serverHostname, takeOver);
    }

    /// <summary><c>_wrap_bio(incoming, outgoing, server_side, server_hostname)</c>: TLS over memory buffers (ssl.SSLObject).</summary>
    public SslObject WrapBio(MemoryBio incoming, MemoryBio outgoing, bool serverSide = false, string? serverHostname = null)
    {
        if (serverSide && serverHostname is not null) throw PySocketException.ValueError("server_hostname can only be specified in client mode");
        if (checkHostname && !serverSide && string.IsNullOrEmpty(serverHostname)) throw PySocketException.ValueError("check_hostname requires server_hostname");
        if (serverSide && Protocol == SslConstants.PROTOCOL_TLS_CLIENT) throw PySocketException.ValueError("Cannot create a server socket with a PROTOCOL_TLS_CLIENT context");
        if (!serverSide && Protocol == SslConstants.PROTOCOL_TLS_SERVER) throw PySocketException.ValueError("Cannot create a client socket with a PROTOCOL_TLS_SERVER context");
        return new SslObject(this, incoming, outgoing, serverSide, serverHostname);
    }

    internal SslClientAuthenticationOptions ClientOptions(SslSocket owner, RemoteCertificateValidationCallback validate) =>
        ClientOptions(owner.ServerHostname, validate);

    internal SslClientAuthenticationOptions ClientOptions(string? serverHostname, RemoteCertificateValidationCallback validate)
    {
        var o = new SslClientAuthenticationOptions
        {
            TargetHost = serverHostname ?? "",
            EnabledSslProtocols = EnabledProtocols,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = validate,
            AllowRenegotiation = false,
            CipherSuitesPolicy = CipherPolicy,
            EncryptionPolicy = EncryptionPolicy.RequireEncryption,
        };
        if (alpn is { Length: > 0 }) o.ApplicationProtocols = alpn.Select(a => new SslApplicationProtocol(a)).ToList();
        if (certificate is not null)
        {
            o.ClientCertificates = new X509CertificateCollection { certificate };
            X509Certificate2 c = certificate;
            o.LocalCertificateSelectionCallback = (_, _, _, _, _) => c;
        }
        return o;
    }

    internal SslServerAuthenticationOptions ServerOptions(RemoteCertificateValidationCallback validate)
    {
        var o = new SslServerAuthenticationOptions
        {
            EnabledSslProtocols = EnabledProtocols,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = validate,
            ClientCertificateRequired = verifyMode != SslConstants.CERT_NONE,
            AllowRenegotiation = false,
            CipherSuitesPolicy = CipherPolicy,
            EncryptionPolicy = EncryptionPolicy.RequireEncryption,
        };
        if (certificate is not null)
        {
            certificateContext ??= SslStreamCertificateContext.Create(certificate, chainExtra, offline: true);
            o.ServerCertificateContext = certificateContext;
        }
        if (alpn is { Length: > 0 }) o.ApplicationProtocols = alpn.Select(a => new SslApplicationProtocol(a)).ToList();
        return o;
    }

    internal bool HasCertificate => certificate is not null;
}
