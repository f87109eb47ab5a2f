#pragma warning disable CS1591 // the ssl module's constants, named as in Python
namespace Netty.PySocket.Ssl;

/// <summary>The ssl module's integer constants, with CPython 3.11's values (OpenSSL 3.0 on Linux).</summary>
public static class SslConstants
{
    public const int PROTOCOL_TLS = 2, PROTOCOL_SSLv23 = 2, PROTOCOL_TLS_CLIENT = 16, PROTOCOL_TLS_SERVER = 17;
    public const int CERT_NONE = 0, CERT_OPTIONAL = 1, CERT_REQUIRED = 2;

    public const int SSL_ERROR_SSL = 1, SSL_ERROR_WANT_READ = 2, SSL_ERROR_WANT_WRITE = 3, SSL_ERROR_WANT_X509_LOOKUP = 4,
        SSL_ERROR_SYSCALL = 5, SSL_ERROR_ZERO_RETURN = 6, SSL_ERROR_WANT_CONNECT = 7, SSL_ERROR_EOF = 8, SSL_ERROR_INVALID_ERROR_CODE = 10;

    public const long OP_ALL = 2147483728, OP_NO_SSLv2 = 0, OP_NO_SSLv3 = 33554432, OP_NO_TLSv1 = 67108864,
        OP_NO_TLSv1_1 = 268435456, OP_NO_TLSv1_2 = 134217728, OP_NO_TLSv1_3 = 536870912,
        OP_CIPHER_SERVER_PREFERENCE = 4194304, OP_SINGLE_DH_USE = 0, OP_SINGLE_ECDH_USE = 0,
        OP_NO_COMPRESSION = 131072, OP_NO_TICKET = 16384, OP_NO_RENEGOTIATION = 1073741824,
        OP_ENABLE_MIDDLEBOX_COMPAT = 1048576, OP_IGNORE_UNEXPECTED_EOF = 128;

    /// <summary>SSLContext(...).options of a new context in CPython 3.11 with OpenSSL 3.0.</summary>
    public const long DefaultOptions = 2186412112;

    // ssl.TLSVersion
    public const int MINIMUM_SUPPORTED = -2, MAXIMUM_SUPPORTED = -1, SSLv3 = 0x300, TLSv1 = 0x301, TLSv1_1 = 0x302, TLSv1_2 = 0x303, TLSv1_3 = 0x304;

    // X509 verify flags
    public const int VERIFY_DEFAULT = 0, VERIFY_CRL_CHECK_LEAF = 4, VERIFY_CRL_CHECK_CHAIN = 12, VERIFY_X509_STRICT = 32,
        VERIFY_X509_PARTIAL_CHAIN = 0x80000, VERIFY_X509_TRUSTED_FIRST = 0x8000, VERIFY_ALLOW_PROXY_CERTS = 64;

    public const bool HAS_SNI = true, HAS_ALPN = true, HAS_NPN = false, HAS_ECDH = true, HAS_TLSv1_3 = true,
        HAS_NEVER_CHECK_COMMON_NAME = true, HAS_TLSv1_2 = true;

    public const string OPENSSL_VERSION = "OpenSSL 3.0 (via System.Net.Security.SslStream)";
}
