"""``_ssl`` for CPython-compatible runtimes on .NET, implemented on Netty.PySocket.Ssl (SslStream underneath).

Installed as ``sys.modules['_ssl']`` next to ``_socket``; the unmodified stdlib ``ssl.py`` builds on it. CPython's
own ``_ssl`` cannot work with our ``_socket`` (it reaches into the C socket object), so this module provides what
``ssl.py`` imports: ``_SSLContext``, the ``_SSLSocket`` objects ``_wrap_socket``/``_wrap_bio`` return, ``MemoryBIO``,
the exception classes, constants (OpenSSL 3.0 values, as CPython 3.11 exports them), ``RAND_*``, ``txt2obj``/
``nid2obj``, ``get_default_verify_paths`` and ``_test_decode_cert``.

Rules (design/ssl.md, "Binding"): library errors are translated in ``_raise`` only; bytes travel through the C#
SslBridge (buffer protocol, GIL released during I/O); ``_wrap_socket`` adds TLS to the Python socket's own library
SocketObject (same descriptor, same timeout), as CPython's _ssl wraps the socket in place.
"""
import os as _os
import sys as _sys
import warnings as _warnings
import weakref as _weakref

import clr as _clr

_clr.AddReference("Netty.PySocket")
_clr.AddReference("Netty.PySocket.Python")

import System as _System  # noqa: E402
from Netty.PySocket.Errors import PySocketException as _NetError  # noqa: E402
from Netty.PySocket.Ssl import (SslContext as _NetContext, SslConstants as _NetConstants,  # noqa: E402
                                SslModule as _NetModule, SslErrors as _NetErrors, MemoryBio as _NetBio,
                                CertDecoder as _NetDecoder)
from Netty.PySocket.Python import SslBridge as _Bridge  # noqa: E402

from . import _socket as _socket_binding  # noqa: E402

# ---------------------------------------------------------------------------------------------------- exceptions

_immutable_types = set()  # filled at the end of the module, once the module's own set-up is done


class _ImmutableType(type):
    """_ssl's types are immutable C types in CPython: setting or deleting one of their attributes raises TypeError.
    Subclasses (ssl.py's SSLContext, on which ssl.py sets sslsocket_class) stay mutable, as there."""

    def __setattr__(cls, name, value):
        if cls in _immutable_types:
            raise TypeError(f"cannot set {name!r} attribute of immutable type '{cls.__module__}.{cls.__qualname__}'")
        super().__setattr__(name, value)

    def __delattr__(cls, name):
        if cls in _immutable_types:
            raise TypeError(f"cannot delete {name!r} attribute of immutable type '{cls.__module__}.{cls.__qualname__}'")
        super().__delattr__(name)


class SSLError(OSError, metaclass=_ImmutableType):
    """An error occurred in the SSL implementation."""

    def __str__(self):
        if self.strerror and isinstance(self.strerror, str):
            return self.strerror
        return super().__str__()


class SSLCertVerificationError(SSLError, ValueError):
    """A certificate could not be verified."""


class SSLZeroReturnError(SSLError):
    """SSL/TLS session closed cleanly."""


class SSLWantReadError(SSLError):
    """Non-blocking SSL socket needs to read more data before the requested operation can be completed."""


class SSLWantWriteError(SSLError):
    """Non-blocking SSL socket needs to write more data before the requested operation can be completed."""


class SSLSyscallError(SSLError):
    """System error when attempting SSL operation."""


class SSLEOFError(SSLError):
    """SSL/TLS connection terminated abruptly."""


for _cls in (SSLError, SSLCertVerificationError, SSLZeroReturnError, SSLWantReadError, SSLWantWriteError,
             SSLSyscallError, SSLEOFError):
    _cls.__module__ = "ssl"

_SSL_KINDS = {
    "SSLError": SSLError,
    "SSLZeroReturnError": SSLZeroReturnError,
    "SSLWantReadError": SSLWantReadError,
    "SSLWantWriteError": SSLWantWriteError,
    "SSLSyscallError": SSLSyscallError,
    "SSLEOFError": SSLEOFError,
    "SSLCertVerificationError": SSLCertVerificationError,
}


def _raise(exc):
    """THE translation of library errors: SSL kinds -> the ssl exception with library/reason (and verify_*)."""
    kind = exc.Kind.ToString()
    cls = _SSL_KINDS.get(kind)
    if cls is None:
        _socket_binding._raise(exc)
    code = exc.Errno
    message = exc.Message
    err = cls(code, message) if code is not None else cls(message)
    info = _NetErrors.SslInfo(exc)
    err.library = info.Library if info is not None else None
    err.reason = info.Reason if info is not None else None
    if cls is SSLCertVerificationError:
        err.verify_code = int(info.VerifyCode) if info is not None and info.VerifyCode is not None else 0
        err.verify_message = info.VerifyMessage if info is not None else None
    try:
        raise err from None
    finally:
        # The traceback holds this frame: a local naming the exception would make a cycle that keeps the
        # SSLObject and its SSLContext alive until the next gc (asyncio's leak checks count on refcounting).
        err = None


def _ssl_error(message, code=None, cls=None, reason=None, library=None):
    err = (cls or SSLError)(code, message) if code is not None else (cls or SSLError)(message)
    err.library = library
    err.reason = reason
    return err

# ----------------------------------------------------------------------------------------------------- constants


def _load_constants():
    values = {}
    for field in _clr.GetClrType(_NetConstants).GetFields():
        if field.IsLiteral or field.IsStatic:
            values[field.Name] = field.GetValue(None)
    return values


_net_constants = _load_constants()
for _name in ("PROTOCOL_TLS", "PROTOCOL_SSLv23", "PROTOCOL_TLS_CLIENT", "PROTOCOL_TLS_SERVER",
              "CERT_NONE", "CERT_OPTIONAL", "CERT_REQUIRED"):
    globals()[_name] = int(_net_constants[_name])
for _name in [n for n in _net_constants if n.startswith(("SSL_ERROR_", "OP_", "VERIFY_"))]:
    globals()[_name] = int(_net_constants[_name])

# The deprecated single-version protocols: a TLS context bounded to that version.
PROTOCOL_TLSv1 = 3
PROTOCOL_TLSv1_1 = 4
PROTOCOL_TLSv1_2 = 5
_SINGLE_VERSION = {PROTOCOL_TLSv1: 0x301, PROTOCOL_TLSv1_1: 0x302, PROTOCOL_TLSv1_2: 0x303}

PROTO_MINIMUM_SUPPORTED = int(_net_constants["MINIMUM_SUPPORTED"])
PROTO_MAXIMUM_SUPPORTED = int(_net_constants["MAXIMUM_SUPPORTED"])
PROTO_SSLv3 = int(_net_constants["SSLv3"])
PROTO_TLSv1 = int(_net_constants["TLSv1"])
PROTO_TLSv1_1 = int(_net_constants["TLSv1_1"])
PROTO_TLSv1_2 = int(_net_constants["TLSv1_2"])
PROTO_TLSv1_3 = int(_net_constants["TLSv1_3"])

ALERT_DESCRIPTION_CLOSE_NOTIFY = 0
ALERT_DESCRIPTION_UNEXPECTED_MESSAGE = 10
ALERT_DESCRIPTION_BAD_RECORD_MAC = 20
ALERT_DESCRIPTION_RECORD_OVERFLOW = 22
ALERT_DESCRIPTION_DECOMPRESSION_FAILURE = 30
ALERT_DESCRIPTION_HANDSHAKE_FAILURE = 40
ALERT_DESCRIPTION_BAD_CERTIFICATE = 42
ALERT_DESCRIPTION_UNSUPPORTED_CERTIFICATE = 43
ALERT_DESCRIPTION_CERTIFICATE_REVOKED = 44
ALERT_DESCRIPTION_CERTIFICATE_EXPIRED = 45
ALERT_DESCRIPTION_CERTIFICATE_UNKNOWN = 46
ALERT_DESCRIPTION_ILLEGAL_PARAMETER = 47
ALERT_DESCRIPTION_UNKNOWN_CA = 48
ALERT_DESCRIPTION_ACCESS_DENIED = 49
ALERT_DESCRIPTION_DECODE_ERROR = 50
ALERT_DESCRIPTION_DECRYPT_ERROR = 51
ALERT_DESCRIPTION_PROTOCOL_VERSION = 70
ALERT_DESCRIPTION_INSUFFICIENT_SECURITY = 71
ALERT_DESCRIPTION_INTERNAL_ERROR = 80
ALERT_DESCRIPTION_USER_CANCELLED = 90
ALERT_DESCRIPTION_NO_RENEGOTIATION = 100
ALERT_DESCRIPTION_UNSUPPORTED_EXTENSION = 110
ALERT_DESCRIPTION_CERTIFICATE_UNOBTAINABLE = 111
ALERT_DESCRIPTION_UNRECOGNIZED_NAME = 112
ALERT_DESCRIPTION_BAD_CERTIFICATE_STATUS_RESPONSE = 113
ALERT_DESCRIPTION_BAD_CERTIFICATE_HASH_VALUE = 114
ALERT_DESCRIPTION_UNKNOWN_PSK_IDENTITY = 115

HOSTFLAG_ALWAYS_CHECK_SUBJECT = 0x1
HOSTFLAG_NO_WILDCARDS = 0x2
HOSTFLAG_NO_PARTIAL_WILDCARDS = 0x4
HOSTFLAG_MULTI_LABEL_WILDCARDS = 0x8
HOSTFLAG_SINGLE_LABEL_SUBDOMAINS = 0x10
HOSTFLAG_NEVER_CHECK_SUBJECT = 0x20

ENCODING_PEM = 1
ENCODING_DER = 2

HAS_SNI = True
HAS_TLS_UNIQUE = True
HAS_ECDH = True
HAS_NPN = False
HAS_ALPN = True
HAS_SSLv2 = False
HAS_SSLv3 = False
HAS_TLSv1 = True
HAS_TLSv1_1 = True
HAS_TLSv1_2 = True
HAS_TLSv1_3 = True
HAS_NEVER_CHECK_COMMON_NAME = True

_DEFAULT_CIPHERS = "@SECLEVEL=2:ECDH+AESGCM:ECDH+CHACHA20:ECDH+AES:DHE+AES:!aNULL:!eNULL:!aDSS:!SHA1:!AESCCM"


def _openssl_version():
    """The libssl .NET's SslStream runs on (the system's OpenSSL 3), named honestly."""
    major, minor, patch = 3, 0, 0
    try:
        import ctypes
        lib = ctypes.CDLL("libssl.so.3")
        fn = lib.OpenSSL_version_num
        fn.restype = ctypes.c_ulong
        number = fn()
        major, minor, patch = (number >> 28) & 0xF, (number >> 20) & 0xFF, (number >> 4) & 0xFF
    except Exception:
        pass
    number = (major << 28) | (minor << 20) | (patch << 4)
    text = f"OpenSSL {major}.{minor}.{patch} compatible (.NET SslStream over the system libssl)"
    return number, (major, minor, 0, patch, 0), text


OPENSSL_VERSION_NUMBER, OPENSSL_VERSION_INFO, OPENSSL_VERSION = _openssl_version()
_OPENSSL_API_VERSION = OPENSSL_VERSION_INFO

# ------------------------------------------------------------------------------------------------------ helpers


def _py(value):
    """Library results -> Python: Dictionary -> dict, object[]/List -> tuple, byte[] -> bytes."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, _System.Array[_System.Byte]):
        return bytes(value)
    if isinstance(value, _System.Collections.IDictionary):
        return {_py(k): _py(value[k]) for k in value.Keys}
    if isinstance(value, _System.Collections.IEnumerable) and not isinstance(value, _System.String):
        return tuple(_py(v) for v in value)
    return value


def _fspath(value, what):
    if value is None:
        return None
    try:
        return _os.fsdecode(value)
    except TypeError:
        raise TypeError(f"{what} should be a valid filesystem path") from None


def _net_bytes(data):
    return _System.Array[_System.Byte](bytes(data))


# ------------------------------------------------------------------------------------------------- _SSLContext


class _SSLContext(metaclass=_ImmutableType):
    """An SSL context (Netty.PySocket.Ssl.SslContext)."""

    def __new__(cls, protocol=None):
        if protocol is None:
            raise TypeError("_SSLContext() missing required argument 'protocol' (pos 1)")
        protocol = int(protocol)
        self = object.__new__(cls)
        if protocol in (PROTOCOL_TLS, *_SINGLE_VERSION):
            _warnings.warn("ssl.PROTOCOL_TLS is deprecated" if protocol == PROTOCOL_TLS
                           else f"ssl.{_PROTOCOL_NAMES[protocol]} is deprecated", DeprecationWarning, stacklevel=2)
        try:
            ctx = _NetContext(PROTOCOL_TLS if protocol in _SINGLE_VERSION else protocol)
        except _NetError as exc:
            _raise(exc)
        if protocol in _SINGLE_VERSION:
            ctx.MinimumVersion = ctx.MaximumVersion = _SINGLE_VERSION[protocol]
        self._ctx = ctx
        self._protocol = protocol
        self._host_flags_value = HOSTFLAG_NO_PARTIAL_WILDCARDS
        ctx.HostnameChecksCommonName = True
        ctx.VerifyFlags = VERIFY_X509_TRUSTED_FIRST  # OpenSSL 3's default
        self._sni_callback = None
        self._keylog_filename = None
        self._num_tickets = 2
        self._alpn = None
        self._msg_callback = None
        return self

    # --- plain attributes
    @property
    def protocol(self):
        return self._protocol

    @property
    def options(self):
        return int(self._ctx.Options)

    @options.setter
    def options(self, value):
        value = int(value)
        if value < 0:
            raise OverflowError("can't convert negative int to unsigned")
        old = int(self._ctx.Options)
        new_bits = value & ~old
        no_proto = OP_NO_SSLv2 | OP_NO_SSLv3 | OP_NO_TLSv1 | OP_NO_TLSv1_1 | OP_NO_TLSv1_2 | OP_NO_TLSv1_3
        if new_bits & no_proto:
            _warnings.warn("ssl.OP_NO_SSL*/ssl.OP_NO_TLS* options are deprecated", DeprecationWarning, stacklevel=2)
        self._ctx.Options = _System.Int64(value)

    @property
    def verify_mode(self):
        return self._ctx.VerifyMode

    @verify_mode.setter
    def verify_mode(self, value):
        try:
            self._ctx.VerifyMode = int(value)
        except _NetError as exc:
            _raise(exc)

    @property
    def verify_flags(self):
        return self._ctx.VerifyFlags

    @verify_flags.setter
    def verify_flags(self, value):
        self._ctx.VerifyFlags = int(value)

    @property
    def check_hostname(self):
        return self._ctx.CheckHostname

    @check_hostname.setter
    def check_hostname(self, value):
        self._ctx.CheckHostname = bool(value)

    def _check_version_settable(self):
        if self._protocol not in (PROTOCOL_TLS, PROTOCOL_TLS_CLIENT, PROTOCOL_TLS_SERVER):
            raise ValueError("The context's protocol doesn't support modification of highest and lowest version.")

    @property
    def minimum_version(self):
        return self._ctx.MinimumVersion

    @minimum_version.setter
    def minimum_version(self, value):
        value = int(value)
        self._check_version_settable()
        if value == PROTO_MAXIMUM_SUPPORTED:  # OpenSSL stores the highest version it has
            value = PROTO_TLSv1_3
        try:
            self._ctx.MinimumVersion = value
        except _NetError as exc:
            _raise(exc)

    @property
    def maximum_version(self):
        return self._ctx.MaximumVersion

    @maximum_version.setter
    def maximum_version(self, value):
        value = int(value)
        self._check_version_settable()
        if value == PROTO_MINIMUM_SUPPORTED:  # OpenSSL stores the lowest version it has
            value = PROTO_TLSv1
        try:
            self._ctx.MaximumVersion = value
        except _NetError as exc:
            _raise(exc)

    @property
    def post_handshake_auth(self):
        return self._ctx.PostHandshakeAuth

    @post_handshake_auth.setter
    def post_handshake_auth(self, value):
        self._ctx.PostHandshakeAuth = bool(value)

    @property
    def _host_flags(self):
        return self._host_flags_value

    @_host_flags.setter
    def _host_flags(self, value):
        self._host_flags_value = int(value)
        self._ctx.HostnameChecksCommonName = not (self._host_flags_value & HOSTFLAG_NEVER_CHECK_SUBJECT)

    @property
    def security_level(self):
        return 2

    @property
    def num_tickets(self):
        return self._num_tickets

    @num_tickets.setter
    def num_tickets(self, value):
        value = int(value)
        if value < 0:
            raise ValueError("value must be non-negative")
        if self._protocol != PROTOCOL_TLS_SERVER:
            raise ValueError("SSLContext is not a server context.")
        self._num_tickets = value

    @property
    def keylog_filename(self):
        return self._keylog_filename

    @keylog_filename.setter
    def keylog_filename(self, value):
        # Accepted and created like OpenSSL's keylog file; .NET's SslStream does not export its secrets to it.
        if value is not None:
            value = _fspath(value, "keylog_filename")
            with open(value, "a") as f:
                if f.tell() == 0:
                    f.write("# TLS secrets log file, generated by OpenSSL / Python\n")
        self._keylog_filename = value

    @property
    def _msg_callback(self):
        return self.__dict__.get("_msg_cb")

    @_msg_callback.setter
    def _msg_callback(self, value):
        if value is not None and not callable(value):
            raise TypeError(f"{value!r} is not callable.")
        self.__dict__["_msg_cb"] = value

    @property
    def sni_callback(self):
        return self._sni_callback

    @sni_callback.setter
    def sni_callback(self, value):
        if self._protocol == PROTOCOL_TLS_CLIENT:
            raise ValueError("sni_callback cannot be set on TLS_CLIENT context")
        if value is None:
            self._sni_callback = None
            self._ctx.SniCallback = None
            return
        if not callable(value):
            raise TypeError("not a callable object")
        self._sni_callback = value
        ref = _weakref.ref(self)

        def net_callback(net_sock, server_name, net_ctx):
            ctx = ref()
            sslsock = _SSLSocket._by_net.get(net_sock)
            if ctx is None or sslsock is None:
                return None
            return _call_sni(ctx, sslsock, server_name)

        self._ctx.SniCallback = _System.Func[_NetSslSocket, _System.String, _NetContext, _System.Object](net_callback)

    # --- certificates
    def load_cert_chain(self, certfile, keyfile=None, password=None):
        certfile = _fspath(certfile, "certfile")
        keyfile = _fspath(keyfile, "keyfile")
        if password is not None and not callable(password) and not isinstance(password, (str, bytes, bytearray)):
            raise TypeError("password should be a string or callable")
        key_text = ""
        try:
            with open(keyfile or certfile, "rb") as f:
                key_text = f.read().decode("latin-1")
        except OSError:
            pass
        if "ENCRYPTED" in key_text and callable(password):
            password = password()
            if not isinstance(password, (str, bytes, bytearray)):
                raise TypeError("password callback must return a string")
        elif callable(password):
            password = None
        if isinstance(password, (bytes, bytearray)):
            if len(password) > 1023:
                raise ValueError("password cannot be longer than 1023 bytes")
            password = _net_bytes(password)
        elif isinstance(password, str) and len(password.encode()) > 1023:
            raise ValueError("password cannot be longer than 1023 bytes")
        try:
            self._ctx.LoadCertChain(certfile, keyfile, password)
        except _NetError as exc:
            _raise(exc)

    def load_verify_locations(self, cafile=None, capath=None, cadata=None):
        cafile = _fspath(cafile, "cafile")
        capath = _fspath(capath, "capath")
        if cadata is not None:
            if isinstance(cadata, str):
                try:
                    cadata.encode("ascii")
                except UnicodeEncodeError:
                    raise TypeError("cadata should be an ASCII string or a bytes-like object") from None
            else:
                try:
                    cadata = _net_bytes(memoryview(cadata))
                except TypeError:
                    raise TypeError("cadata should be an ASCII string or a bytes-like object") from None
        try:
            self._ctx.LoadVerifyLocations(cafile, capath, cadata)
        except _NetError as exc:
            info = _NetErrors.SslInfo(exc)
            if cafile is not None and info is not None and info.Reason == "NO_CERTIFICATE_OR_CRL_FOUND":
                # A CERTIFICATE block that does not decode: OpenSSL's PEM reader fails first.
                try:
                    with open(cafile, "rb") as f:
                        malformed = b"-----BEGIN CERTIFICATE-----" in f.read()
                except OSError:
                    malformed = False
                if malformed:
                    raise _ssl_error("[SSL] PEM lib (_ssl.c:4046)", 524297, library="SSL") from None
            _raise(exc)

    def load_dh_params(self, path):
        path = _fspath(path, "path")
        with open(path, "rb") as f:
            data = f.read()
        if b"DH PARAMETERS" not in data:
            raise _ssl_error("[PEM: NO_START_LINE] no start line (_ssl.c:4123)", 1, reason="NO_START_LINE",
                             library="PEM")

    def set_default_verify_paths(self):
        # SSL_CERT_FILE / SSL_CERT_DIR from os.environ (.NET's environment is a start-up snapshot).
        cafile = _os.environ.get("SSL_CERT_FILE")
        capath = _os.environ.get("SSL_CERT_DIR")
        if cafile is None and capath is None:
            self._ctx.LoadDefaultCerts(False)
            return
        for args in ((cafile, None), (None, capath)):
            if args[0] and _os.path.isfile(args[0]) or args[1] and _os.path.isdir(args[1]):
                try:
                    self._ctx.LoadVerifyLocations(args[0], args[1], None)
                except _NetError:
                    pass

    def cert_store_stats(self):
        return _py(self._ctx.CertStoreStats())

    def get_ca_certs(self, binary_form=False):
        return list(_py(self._ctx.GetCaCerts(bool(binary_form))))

    def session_stats(self):
        return {k: 0 for k in ("number", "connect", "connect_good", "connect_renegotiate", "accept", "accept_good",
                               "accept_renegotiate", "hits", "misses", "timeouts", "cache_full")}

    # --- ciphers, ALPN, curves
    def set_ciphers(self, cipherlist):
        if not isinstance(cipherlist, str):
            raise TypeError(f"set_ciphers() argument must be str, not {type(cipherlist).__name__}")
        try:
            self._ctx.SetCiphers(cipherlist)
        except _NetError as exc:
            _raise(exc)

    def get_ciphers(self):
        result = []
        for name in self._ctx.CipherNamesEnabled():
            proto = "TLSv1.3" if name.startswith("TLS_") else "TLSv1.2"
            bits = 256 if "256" in name or "CHACHA20" in name else 128
            result.append({"id": 0, "name": name, "protocol": proto, "description": f"{name} {proto}",
                           "strength_bits": bits, "alg_bits": bits, "aead": True, "symmetric": None,
                           "digest": None, "kea": None, "auth": None})
        return result

    def _set_alpn_protocols(self, protos):
        data = bytes(protos)
        names = []
        i = 0
        while i < len(data):
            n = data[i]
            names.append(data[i + 1:i + 1 + n].decode("ascii"))
            i += 1 + n
        try:
            self._ctx.SetAlpnProtocols(_System.Array[_System.String](names))
        except _NetError as exc:
            _raise(exc)

    def _set_npn_protocols(self, protos):
        raise NotImplementedError("The NPN extension requires OpenSSL 1.0.1 or later.")

    def set_ecdh_curve(self, name):
        if isinstance(name, str):
            name = name.encode("ascii")
        if not isinstance(name, (bytes, bytearray)):
            raise TypeError(f"argument must be str or bytes, not {type(name).__name__}")
        if bytes(name) not in (b"prime256v1", b"secp256r1", b"secp384r1", b"secp521r1", b"X25519", b"X448",
                               b"P-256", b"P-384", b"P-521"):
            raise ValueError(f"unknown elliptic curve name {name!r}")

    # --- wrapping
    def _wrap_socket(self, sock, server_side, server_hostname=None, *, owner=None, session=None):
        if not isinstance(sock, _socket_binding.socket):
            raise TypeError(f"_wrap_socket() argument 'sock' must be _socket.socket, not {type(sock).__name__}")
        if server_hostname is not None:
            server_hostname = _hostname(server_hostname)
        try:
            net = self._ctx.WrapSocket(sock._so, bool(server_side), False, False, server_hostname, False)
        except _NetError as exc:
            _raise(exc)
        obj = _SSLSocket(self, net, sock, bool(server_side), server_hostname, owner)
        if session is not None:
            obj.session = session
        return obj

    def _wrap_bio(self, incoming, outgoing, server_side, server_hostname=None, *, owner=None, session=None):
        if not isinstance(incoming, MemoryBIO) or not isinstance(outgoing, MemoryBIO):
            raise TypeError("_wrap_bio() arguments must be MemoryBIO")
        if server_hostname is not None:
            server_hostname = _hostname(server_hostname)
        try:
            net = self._ctx.WrapBio(incoming._bio, outgoing._bio, bool(server_side), server_hostname)
        except _NetError as exc:
            _raise(exc)
        obj = _SSLObjectImpl(self, net, bool(server_side), server_hostname, owner)
        if session is not None:
            obj.session = session
        return obj


_PROTOCOL_NAMES = {PROTOCOL_TLSv1: "PROTOCOL_TLSv1", PROTOCOL_TLSv1_1: "PROTOCOL_TLSv1_1",
                   PROTOCOL_TLSv1_2: "PROTOCOL_TLSv1_2"}

_NetSslSocket = _clr.GetClrType(_NetContext).Assembly.GetType("Netty.PySocket.Ssl.SslSocket")


def _hostname(name):
    if isinstance(name, (bytes, bytearray)):
        name = bytes(name).decode("ascii")
    if not isinstance(name, str):
        raise TypeError(f"server_hostname must be str, not {type(name).__name__}")
    if "\x00" in name:
        raise TypeError("argument must be encoded string without null bytes")
    if name == "" or name.startswith("."):
        raise ValueError("server_hostname cannot be an empty string or start with a leading dot.")
    return name


def _call_sni(ctx, sslobj, server_name):
    """Runs the Python sni_callback (on the handshake's thread, GIL taken by pythonnet); non-None fails the handshake."""
    callback = ctx._sni_callback
    if callback is None:
        return None
    target = sslobj.owner if sslobj.owner is not None else sslobj
    try:
        result = callback(target, server_name, ctx)
    except BaseException as exc:  # CPython: unraisable, then a handshake_failure alert
        _sys.unraisablehook(_UnraisableArgs(type(exc), exc, exc.__traceback__, None, callback))
        return ALERT_DESCRIPTION_HANDSHAKE_FAILURE
    if result is None:
        return None
    if not isinstance(result, int):
        return ALERT_DESCRIPTION_INTERNAL_ERROR
    return int(result)


class _UnraisableArgs:
    def __init__(self, exc_type, exc_value, exc_traceback, err_msg, obj):
        self.exc_type = exc_type
        self.exc_value = exc_value
        self.exc_traceback = exc_traceback
        self.err_msg = err_msg
        self.object = obj


# ------------------------------------------------------------------------------------------------- _SSLSocket


class _SSLBase(metaclass=_ImmutableType):
    """What _SSLSocket and the _wrap_bio object share: context, owner, session, introspection."""

    def _init(self, ctx, net, server_side, server_hostname, owner):
        self._context = ctx
        self._net = net
        self._server_side = server_side
        self._server_hostname = server_hostname
        self._owner = None
        self.owner = owner
        self._session = None

    @property
    def context(self):
        return self._context

    @context.setter
    def context(self, ctx):
        if not isinstance(ctx, _SSLContext):
            raise TypeError("The value must be a SSLContext")
        self._context = ctx
        self._net.Context = ctx._ctx

    @property
    def owner(self):
        return self._owner() if self._owner is not None else None

    @owner.setter
    def owner(self, value):
        self._owner = _weakref.ref(value) if value is not None else None

    @property
    def server_side(self):
        return self._server_side

    @property
    def server_hostname(self):
        return self._server_hostname

    @property
    def session(self):
        return self._session

    @session.setter
    def session(self, value):
        if not isinstance(value, SSLSession):
            raise TypeError("Value is not a SSLSession.")
        if self._server_side:
            raise ValueError("Cannot set session for server-side SSLSocket.")
        if self.version() is not None:
            raise ValueError("Cannot set session after handshake.")
        self._session = value

    @property
    def session_reused(self):
        return False

    def getpeercert(self, binary_form=False):
        try:
            return _py(self._net.GetPeerCert(bool(binary_form)))
        except _NetError as exc:
            _raise(exc)

    def get_verified_chain(self):
        return _certificates(self._net.GetVerifiedChain())

    def get_unverified_chain(self):
        return _certificates(self._net.GetUnverifiedChain())

    def cipher(self):
        result = self._net.Cipher()
        return None if result is None else (str(result[0]), str(result[1]), int(result[2]))

    def shared_ciphers(self):
        # OpenSSL's SSL_get_shared_ciphers: the server's view only (a client gets None).
        c = self.cipher()
        return None if c is None or not self._server_side else [c]

    def version(self):
        return self._net.Version()

    def selected_alpn_protocol(self):
        return self._net.SelectedAlpnProtocol()

    def compression(self):
        return None

    def get_channel_binding(self, cb_type="tls-unique"):
        if cb_type != "tls-unique":
            raise ValueError(f"'{cb_type}' channel binding type not implemented")
        getter = getattr(self._net, "GetChannelBinding", None)
        if getter is None:
            return None
        value = getter(cb_type)
        return None if value is None else bytes(value)

    def verify_client_post_handshake(self):
        if not self._server_side:
            raise _ssl_error("[SSL: NOT_SERVER] not server (_ssl.c:2694)", 1, reason="NOT_SERVER", library="SSL")
        raise _ssl_error("[SSL: EXTENSION_NOT_RECEIVED] extension not received (_ssl.c:2694)", 1,
                         reason="EXTENSION_NOT_RECEIVED", library="SSL")


class _SSLSocket(_SSLBase):
    """The TLS layer of an ssl.SSLSocket (Netty.PySocket.Ssl.SslSocket on the socket's own SocketObject)."""

    _by_net = _weakref.WeakValueDictionary()

    def __init__(self, ctx, net, sock, server_side, server_hostname, owner):
        self._init(ctx, net, server_side, server_hostname, owner)
        self._sock = _weakref.ref(sock)
        _SSLSocket._by_net[net] = self

    def do_handshake(self):
        try:
            self._net.DoHandshake()
        except _NetError as exc:
            _raise(exc)

    def read(self, len=1024, buffer=None):
        len = _socket_binding._index(len)
        try:
            if buffer is not None:
                return _Bridge.ReadInto(self._net, buffer, len)
            if len < 0:
                raise ValueError("size should not be negative")
            return bytes(self._net.Read(len))
        except _NetError as exc:
            _raise(exc)

    def write(self, data):
        try:
            if self._net.GetTimeout() == 0.0:
                return _Bridge.Write(self._net, data)
            # Blocking/timeout: SSL_write (no partial writes, as CPython configures OpenSSL) writes everything.
            return _Bridge.WriteAll(self._net, data)
        except _NetError as exc:
            _raise(exc)

    def pending(self):
        return self._net.Pending()

    def shutdown(self):
        try:
            self._net.Unwrap()
        except _NetError as exc:
            _raise(exc)
        return self._sock()

    def get_channel_binding(self, cb_type="tls-unique"):
        if cb_type != "tls-unique":
            raise ValueError(f"'{cb_type}' channel binding type not implemented")
        try:
            value = self._net.GetChannelBinding(cb_type)
        except _NetError as exc:
            _raise(exc)
        return None if value is None else bytes(value)


_SSLSocket.__module__ = "_ssl"


class _SSLObjectImpl(_SSLBase):
    """The TLS engine of an ssl.SSLObject: Netty.PySocket.Ssl.SslObject over two MemoryBIOs."""

    def __init__(self, ctx, net, server_side, server_hostname, owner):
        self._init(ctx, net, server_side, server_hostname, owner)
        if server_side:
            ref = _weakref.ref(self)

            def net_callback(server_name):
                me = ref()
                if me is None:
                    return None
                return _call_sni(me._context, me, server_name)

            net.ServerNameCallback = _System.Func[_System.String, _System.Object](net_callback)

    def do_handshake(self):
        try:
            self._net.DoHandshake()
        except _NetError as exc:
            _raise(exc)

    def read(self, len=1024, buffer=None):
        len = _socket_binding._index(len)
        try:
            if buffer is not None:
                return _Bridge.ObjectReadInto(self._net, buffer, len)
            if len < 0:
                raise ValueError("size should not be negative")
            return bytes(self._net.Read(len))
        except _NetError as exc:
            _raise(exc)

    def write(self, data):
        try:
            return _Bridge.ObjectWrite(self._net, data)
        except _NetError as exc:
            _raise(exc)

    def pending(self):
        return self._net.Pending()

    def shutdown(self):
        try:
            self._net.Shutdown()
        except _NetError as exc:
            _raise(exc)
        return None


_SSLObjectImpl.__name__ = _SSLObjectImpl.__qualname__ = "_SSLSocket"
_SSLObjectImpl.__module__ = "_ssl"

# ----------------------------------------------------------------------------------------------- MemoryBIO etc.


class MemoryBIO(metaclass=_ImmutableType):
    """In-memory buffer (Netty.PySocket.Ssl.MemoryBio)."""

    def __init__(self):
        self._bio = _NetBio()

    @property
    def pending(self):
        return self._bio.Pending

    @property
    def eof(self):
        return self._bio.Eof

    def read(self, size=-1):
        size = _socket_binding._index(size)
        if size > 0x7FFFFFFF:
            size = 0x7FFFFFFF
        return bytes(self._bio.Read(size))

    def write(self, b):
        if isinstance(b, str):
            raise TypeError(f"a bytes-like object is required, not '{type(b).__name__}'")
        with memoryview(b) as view:
            if not view.c_contiguous:
                raise BufferError("memoryview: underlying buffer is not C-contiguous")
            if view.nbytes > 0x7FFFFFFF:
                raise OverflowError("string longer than 2147483647 bytes")
        try:
            return _Bridge.BioWrite(self._bio, b)
        except _NetError as exc:
            _raise(exc)

    def write_eof(self):
        self._bio.WriteEof()


MemoryBIO.__module__ = "_ssl"


class SSLSession(metaclass=_ImmutableType):
    """An SSL session (sessions are not exported by .NET's SslStream: never produced, only type-checked)."""

    def __init__(self, *args, **kwargs):
        raise TypeError("cannot create '_ssl.SSLSession' instances")


SSLSession.__module__ = "_ssl"


class Certificate(metaclass=_ImmutableType):
    """A peer certificate from get_verified_chain()/get_unverified_chain(): its DER, decoded on demand."""

    __slots__ = ("_der",)

    def __init__(self, *args, **kwargs):
        raise TypeError("cannot create '_ssl.Certificate' instances")

    @classmethod
    def _from_der(cls, der):
        cert = object.__new__(cls)
        object.__setattr__(cert, "_der", bytes(der))
        return cert

    def get_info(self):
        return _py(_NetDecoder.Decode(self._der))

    def public_bytes(self, format=ENCODING_PEM):
        if format == ENCODING_DER:
            return self._der
        if format != ENCODING_PEM:
            raise ValueError("Unsupported format")
        import base64
        body = base64.b64encode(self._der).decode("ascii")
        lines = [body[i:i + 64] for i in range(0, len(body), 64)]
        return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"

    def __eq__(self, other):
        if not isinstance(other, Certificate):
            return NotImplemented
        return self._der == other._der

    def __ne__(self, other):
        if not isinstance(other, Certificate):
            return NotImplemented
        return self._der != other._der

    def __hash__(self):
        return hash(self._der)

    def __repr__(self):
        # X509_NAME_print_ex(XN_FLAG_RFC2253): short names, most specific RDN first, ',' between RDNs.
        subject = self.get_info().get("subject", ())
        rdns = ["+".join(f"{_SHORT_NAMES.get(k, k)}={_rfc2253_escape(v)}" for k, v in rdn) for rdn in reversed(subject)]
        return f"<_ssl.Certificate '{','.join(rdns)}'>"


Certificate.__module__ = "_ssl"

_SHORT_NAMES = {
    "commonName": "CN", "countryName": "C", "localityName": "L", "stateOrProvinceName": "ST",
    "organizationName": "O", "organizationalUnitName": "OU", "streetAddress": "street",
    "domainComponent": "DC", "userId": "UID", "serialNumber": "serialNumber", "emailAddress": "emailAddress",
}


def _rfc2253_escape(value):
    out = "".join("\\" + c if c in ',+"\\<>;' else c for c in value)
    if out.startswith((" ", "#")):
        out = "\\" + out
    if out.endswith(" "):
        out = out[:-1] + "\\ "
    return out


def _certificates(ders):
    return None if ders is None else [Certificate._from_der(d) for d in ders]


# ---------------------------------------------------------------------------------------------------- functions


def RAND_status():
    return True


def RAND_add(string, entropy):
    if isinstance(string, str):
        string = string.encode("utf-8")
    memoryview(string)
    float(entropy)


def RAND_bytes(n):
    n = _socket_binding._index(n)
    if n < 0:
        raise ValueError("num must be positive")
    return _os.urandom(n)


def RAND_pseudo_bytes(n):
    return RAND_bytes(n), True


def get_default_verify_paths():
    p = _NetModule.GetDefaultVerifyPaths()
    return (p.OpensslCafileEnv, p.OpensslCafile, p.OpensslCapathEnv, p.OpensslCapath)


def _test_decode_cert(path):
    # PEM_read_bio_X509: the first certificate in the file (a key may come first).
    import base64
    path = _fspath(path, "path")
    with open(path, "rb") as f:
        text = f.read().decode("latin-1")
    begin, end = "-----BEGIN CERTIFICATE-----", "-----END CERTIFICATE-----"
    at = text.find(begin)
    stop = text.find(end, at + 1)
    if at < 0 or stop < 0:
        raise _ssl_error("Error decoding PEM-encoded file")
    der = base64.b64decode("".join(text[at + len(begin):stop].split()))
    try:
        return _py(_NetDecoder.Decode(_net_bytes(der)))
    except _NetError as exc:
        _raise(exc)


# txt2obj / nid2obj: the ASN.1 objects ssl.py and the tests name (NID, short name, long name, OID).
_OBJECTS = [
    (129, "serverAuth", "TLS Web Server Authentication", "1.3.6.1.5.5.7.3.1"),
    (130, "clientAuth", "TLS Web Client Authentication", "1.3.6.1.5.5.7.3.2"),
    (131, "codeSigning", "Code Signing", "1.3.6.1.5.5.7.3.3"),
    (132, "emailProtection", "E-mail Protection", "1.3.6.1.5.5.7.3.4"),
    (133, "timeStamping", "Time Stamping", "1.3.6.1.5.5.7.3.8"),
    (180, "OCSPSigning", "OCSP Signing", "1.3.6.1.5.5.7.3.9"),
    (13, "CN", "commonName", "2.5.4.3"),
    (14, "C", "countryName", "2.5.4.6"),
    (15, "L", "localityName", "2.5.4.7"),
    (16, "ST", "stateOrProvinceName", "2.5.4.8"),
    (17, "O", "organizationName", "2.5.4.10"),
    (18, "OU", "organizationalUnitName", "2.5.4.11"),
    (48, "emailAddress", "emailAddress", "1.2.840.113549.1.9.1"),
    (85, "subjectAltName", "X509v3 Subject Alternative Name", "2.5.29.17"),
    (87, "basicConstraints", "X509v3 Basic Constraints", "2.5.29.19"),
    (83, "keyUsage", "X509v3 Key Usage", "2.5.29.15"),
    (126, "extendedKeyUsage", "X509v3 Extended Key Usage", "2.5.29.37"),
]


def txt2obj(txt, name=False):
    if not isinstance(txt, str):
        raise TypeError(f"txt2obj() argument 'txt' must be str, not {type(txt).__name__}")
    for entry in _OBJECTS:
        if txt == entry[3] or (name and txt in (entry[1], entry[2])):
            return entry
    raise ValueError(f"unknown object '{txt}'")


def nid2obj(nid):
    nid = _socket_binding._index(nid)
    if nid < 1:
        raise ValueError("NID must be positive.")
    for entry in _OBJECTS:
        if entry[0] == nid:
            return entry
    raise ValueError(f"unknown NID {nid}")


err_codes_to_names = {}
err_names_to_codes = {}
lib_codes_to_names = {}

del _name, _cls

_immutable_types.update((SSLError, SSLCertVerificationError, SSLZeroReturnError, SSLWantReadError, SSLWantWriteError,
                         SSLSyscallError, SSLEOFError, _SSLContext, _SSLBase, _SSLSocket, _SSLObjectImpl, MemoryBIO,
                         SSLSession, Certificate))

# A forked child cannot run .NET: TLS objects refuse there (_forked).
from . import _forked  # noqa: E402

_forked.install_ssl(_sys.modules[__name__])
