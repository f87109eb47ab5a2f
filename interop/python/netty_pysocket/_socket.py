"""``_socket`` for CPython-compatible runtimes on .NET, implemented on Netty.PySocket.

Installed as ``sys.modules['_socket']`` by :func:`netty_pysocket.install` before anything imports ``socket``; the
unmodified stdlib ``socket.py`` then builds on it exactly as on the C module. Only what the library honours is
exported: names it cannot honour (AF_CAN, AF_TIPC...) are absent, so
``hasattr`` probes in the stdlib and the tests pick their fallbacks.

Rules (see design/interop.md): every library call is coarse-grained and overload-free; bytes travel through the
C# SocketBridge (buffer protocol, GIL released during I/O); every library error is translated in ``_raise`` only.
"""
import operator as _operator
import os as _os
import sys as _sys
import warnings as _warnings

import clr as _clr

_clr.AddReference("Netty.PySocket")
_clr.AddReference("Netty.PySocket.Python")

import System as _System  # noqa: E402
from System.Numerics import BigInteger as _BigInteger  # noqa: E402
from Netty.PySocket.Errors import PySocketException as _NetError  # noqa: E402
from Netty.PySocket.Net import SocketConstants as _Constants  # noqa: E402
from Netty.PySocket.Socket import SocketObject as _SocketObject  # noqa: E402
from Netty.PySocket.Python import SocketBridge as _Bridge, SignalBridge as _SignalBridge  # noqa: E402

from . import _net  # noqa: E402
from . import _native  # noqa: E402

# ---------------------------------------------------------------------------------------------------- exceptions

error = OSError
timeout = TimeoutError


class herror(OSError):
    pass


class gaierror(OSError):
    pass


herror.__module__ = gaierror.__module__ = "socket"


def _raise(exc):
    """THE translation of library errors: PySocketException(Kind, Errno, Message) -> the exact Python exception."""
    kind = exc.Kind.ToString()
    errno = exc.Errno
    message = exc.Message
    if kind == "OSError":
        # OSError(errno, strerror): Python picks the subclass (ConnectionRefusedError, BlockingIOError, ...).
        raise OSError(errno, message) from None
    if kind == "Timeout":
        raise timeout(message) from None
    if kind == "GaiError":
        raise gaierror(errno, message) from None
    if kind == "HError":
        raise herror(errno, message) from None
    cls = _SIMPLE_KINDS.get(kind)
    if cls is not None:
        raise cls(message) from None
    # SSL kinds have no _ssl binding yet: surface them as OSError with their code.
    raise OSError(errno, message) if errno is not None else OSError(message) from None


_SIMPLE_KINDS = {
    "TypeError": TypeError,
    "ValueError": ValueError,
    "OverflowError": OverflowError,
    "KeyError": KeyError,
    "NotImplementedError": NotImplementedError,
    "RuntimeError": RuntimeError,
}

# ----------------------------------------------------------------------------------------------------- constants

# Families, protocols and options the library cannot honour are left out, so the stdlib's and the tests'
# hasattr() probes choose their fallbacks (socketserver's Unix servers, test_socket's CAN/RDS/... classes...).
_UNSUPPORTED_PREFIXES = (
    "AF_CAN", "PF_CAN", "CAN_", "SOL_CAN", "AF_PACKET", "PF_PACKET", "PACKET_", "AF_NETLINK", "NETLINK_",
    "AF_TIPC", "TIPC_", "SOL_TIPC", "AF_ALG", "ALG_", "SOL_ALG", "AF_VSOCK", "SO_VM_", "VMADDR_", "IOCTL_VM_",
    "AF_RDS", "PF_RDS", "RDS_", "SOL_RDS", "AF_QIPCRTR", "AF_BLUETOOTH", "BTPROTO_", "HCI_", "BDADDR_", "SOL_HCI",
    "J1939_", "SCM_J1939_", "SO_J1939_", "AF_HYPERV", "HV_",
)


def _load_constants():
    names = []
    for field in _clr.GetClrType(_Constants).GetFields():
        name = field.Name
        if name.startswith(_UNSUPPORTED_PREFIXES):
            continue
        globals()[name] = int(field.GetValue(None))
        names.append(name)
    return names


_constant_names = _load_constants()

has_ipv6 = True
CAPI = None  # CPython's C API capsule does not exist here; the binding's own _ssl does not need it.
del CAPI

_GLOBAL_DEFAULT_TIMEOUT = object()

# ------------------------------------------------------------------------------------------------------- helpers


_MISSING = object()


def _index(value):
    return _operator.index(value)


def _to_net_int(value):
    value = _operator.index(value)
    if -(1 << 63) <= value < (1 << 63):
        return _System.Int64(value)
    return _BigInteger.Parse(str(value))


def _address(family, address):
    """A Python address tuple -> object[] for the library (host as str, ints as Int64/BigInteger); an AF_UNIX path
    -> byte[] (str encoded as os.fsencode does, any bytes-like object as its bytes, as CPython's "y*")."""
    if family == AF_UNIX:
        return _unix_path(address)
    if family == AF_INET6:
        fam = "AF_INET6"
    else:
        fam = "AF_INET"
    if not isinstance(address, tuple):
        raise TypeError(f"{fam} address must be tuple, not {type(address).__name__}")
    items = []
    for i, item in enumerate(address):
        if i == 0:
            if isinstance(item, str):
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    # A lone surrogate must never reach pythonnet (its str conversion aborts the process);
                    # CPython's setipaddr fails the same way.
                    raise TypeError("encoding of hostname failed") from None
                item.encode("idna")
            elif isinstance(item, (bytes, bytearray)):
                item = bytes(item).decode("latin-1")
            else:
                raise TypeError(f"str, bytes or bytearray expected, not {type(item).__name__}")
            items.append(item)
        elif isinstance(item, bool):
            items.append(_System.Int64(int(item)))
        elif isinstance(item, int):
            items.append(_to_net_int(item))
        else:
            try:
                items.append(_to_net_int(item))
            except TypeError:
                raise TypeError(f"'{type(item).__name__}' object cannot be interpreted as an integer") from None
    return _System.Array[_System.Object](items)


def _unix_path(address):
    if isinstance(address, str):
        address = _os.fsencode(address)
    else:
        try:
            address = bytes(memoryview(address))
        except TypeError:
            raise TypeError(f"a bytes-like object is required, not '{type(address).__name__}'") from None
    return _System.Array[_System.Byte](address)


def _name(net_name):
    """An address from the library -> CPython's: tuple for AF_INET/AF_INET6; for AF_UNIX a str, or bytes for an
    abstract name (a filesystem name the library could not decode comes as bytes and is decoded as os.fsdecode)."""
    if net_name is None or isinstance(net_name, str):
        return net_name
    if isinstance(net_name, _System.Array[_System.Byte]):
        raw = bytes(net_name)
        return raw if raw[:1] == b"\0" else _os.fsdecode(raw)
    return tuple(net_name)


def _tuple(net_array):
    """object[] from the library -> Python tuple (strings and ints)."""
    return tuple(net_array)


def _timeout_arg(value):
    if value is None:
        return None
    if isinstance(value, float):
        seconds = value
    elif isinstance(value, int):
        try:
            seconds = float(value)
        except OverflowError:
            raise OverflowError("timestamp too large to convert to C _PyTime_t") from None
    else:
        try:
            seconds = float(_operator.index(value))
        except TypeError:
            try:
                seconds = value.__float__()
            except AttributeError:
                raise TypeError("Timeout value must be int, float or None") from None
    if seconds != seconds:
        raise ValueError("Invalid value NaN (not a number)")
    if seconds < 0:
        raise ValueError("Timeout value out of range")
    if seconds > 9223372036.0:
        raise OverflowError("timestamp too large to convert to C _PyTime_t")
    return seconds


# A C int argument (CPython's "i" format): one definition, in _net.
_int = _net._c_int


_flags = _int


# -------------------------------------------------------------------------------------------------- socket class


class socket:
    """socket(family=AF_INET, type=SOCK_STREAM, proto=0, fileno=None) -> socket object (Netty.PySocket)."""

    # _fd caches fileno() (only close() and detach() change it); _h is the socket's handle for _native.
    __slots__ = ("_so", "_fd", "_h")

    def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
        family = _int(family)
        type = _int(type)
        proto = _int(proto)
        try:
            if fileno is None:
                self._so = _SocketObject(family, type, proto)
            else:
                if isinstance(fileno, float):
                    raise TypeError("'float' object cannot be interpreted as an integer")
                fd = _index(fileno)
                if fd < 0:
                    raise ValueError("negative file descriptor")
                # Given family/type/proto are kept unchecked, -1 asks the descriptor (sock_initobj).
                self._so = _SocketObject.FromFd(fd, family, type, proto)
        except _NetError as exc:
            _raise(exc)
        self._h = _native.new_handle(self._so)
        self._fd = _native.fileno(self._h)

    # --- attributes
    @property
    def family(self):
        return self._so.Family

    @property
    def type(self):
        return self._so.Type

    @property
    def proto(self):
        return self._so.Proto

    @property
    def timeout(self):
        return self._so.GetTimeout()

    def __repr__(self):
        return (f"<socket object, fd={self.fileno()}, family={self._so.Family}, "
                f"type={self._so.Type}, proto={self._so.Proto}>")

    # --- lifecycle
    def fileno(self):
        return self._fd

    def close(self):
        self._fd = -1
        try:
            self._so.Close()
        except _NetError as exc:
            _raise(exc)

    def detach(self):
        self._fd = -1
        return self._so.Detach()

    def __del__(self):
        # sock_finalize: an unclosed socket warns ResourceWarning("unclosed <repr>", source=self), then closes.
        try:
            so = self._so
            handle = self._h
        except AttributeError:  # __init__ failed
            return
        try:
            if self._fd == -1:
                return
            try:
                _warnings.warn(f"unclosed {self!r}", ResourceWarning, stacklevel=1, source=self)
            finally:
                try:
                    so.Close()
                except _NetError:
                    pass
        finally:
            # Nothing can be inside a call on this socket now (every call holds a reference to it).
            _native.free_handle(handle)

    def _accept(self):
        try:
            accepted = self._so.Accept()
        except _NetError as exc:
            _raise(exc)
        return accepted.Fd, _name(accepted.Address)

    # --- timeouts
    def gettimeout(self):
        return self._so.GetTimeout()

    def settimeout(self, value):
        seconds = _timeout_arg(value)
        try:
            self._so.SetTimeout(seconds)
        except _NetError as exc:
            _raise(exc)

    def setblocking(self, flag):
        flag = bool(flag)  # PyObject_IsTrue, as CPython 3.11
        try:
            self._so.SetBlocking(flag)
        except _NetError as exc:
            _raise(exc)

    def getblocking(self):
        return self._so.GetBlocking()

    # --- connection
    def bind(self, address):
        addr = _address(self._so.Family, address)
        try:
            self._so.Bind(addr)
        except _NetError as exc:
            _raise(exc)

    def listen(self, backlog=128):
        backlog = _int(backlog)
        try:
            self._so.Listen(backlog)
        except _NetError as exc:
            _raise(exc)

    def connect(self, address):
        addr = _address(self._so.Family, address)
        try:
            self._so.Connect(addr)
        except _NetError as exc:
            _raise(exc)

    def connect_ex(self, address):
        addr = _address(self._so.Family, address)
        try:
            return self._so.ConnectEx(addr)
        except _NetError as exc:
            _raise(exc)

    def shutdown(self, how):
        how = _int(how)
        try:
            self._so.Shutdown(how)
        except _NetError as exc:
            _raise(exc)

    def getsockname(self):
        try:
            return _name(self._so.GetSockName())
        except _NetError as exc:
            _raise(exc)

    def getpeername(self):
        try:
            return _name(self._so.GetPeerName())
        except _NetError as exc:
            _raise(exc)

    # --- options
    def getsockopt(self, level, optname, buflen=None):
        level = _int(level)
        optname = _int(optname)
        try:
            if buflen is None:
                return int(self._so.GetSockOpt(level, optname, 0))
            buflen = _index(buflen)
            if buflen == 0:  # CPython: an explicit 0 is the int form
                return int(self._so.GetSockOpt(level, optname, 0))
            if buflen < 0 or buflen > 1024:
                raise OSError("getsockopt buflen out of range")
            value = self._so.GetSockOpt(level, optname, buflen)
        except _NetError as exc:
            _raise(exc)
        return bytes(value) if not isinstance(value, int) else value

    def setsockopt(self, level, optname, value, optlen=None):
        level = _int(level)
        optname = _int(optname)
        if optlen is not None:
            if value is not None:
                raise TypeError("setsockopt() takes exactly 4 arguments when the third is not None")
            net_value, optlen = None, _index(optlen)
        elif isinstance(value, int):
            if value > 0x7FFFFFFF:
                raise OverflowError("signed integer is greater than maximum")
            if value < -0x80000000:
                raise OverflowError("signed integer is less than minimum")
            net_value, optlen = _System.Int32(value), 0
        else:
            try:
                data = bytes(memoryview(value))
            except TypeError:
                raise TypeError(f"a bytes-like object is required, not '{type(value).__name__}'") from None
            net_value, optlen = _System.Array[_System.Byte](data), 0
        try:
            self._so.SetSockOpt(level, optname, net_value, optlen)
        except _NetError as exc:
            _raise(exc)

    # --- data
    def send(self, data, flags=0):
        if flags.__class__ is not int or flags:
            flags = _flags(flags)
        result = _send_buffer(_native_send, self._h, data, flags)
        if result < 0:
            _native_fail(result, _NetError, _raise)
        return result

    def sendall(self, data, flags=0):
        if flags.__class__ is not int or flags:
            flags = _flags(flags)
        result = _send_buffer(_native_sendall, self._h, data, flags)
        if result < 0:
            _native_fail(result, _NetError, _raise)

    def sendto(self, *args):
        # CPython parses sendto's arguments by count: (data, address) or (data, flags, address).
        if len(args) == 2:
            data, address = args
            flags = 0
        elif len(args) == 3:
            data, flags, address = args
            flags = _flags(flags)
        else:
            raise TypeError(f"sendto() takes 2 or 3 arguments ({len(args)} given)")
        addr = _address(self._so.Family, address)
        try:
            return _Bridge.SendTo(self._so, data, flags, addr)
        except _NetError as exc:
            _raise(exc)

    def recv(self, bufsize, flags=0):
        if bufsize.__class__ is not int:
            bufsize = _index(bufsize)
        if bufsize < 0:
            raise ValueError("negative buffersize in recv")
        if flags.__class__ is not int or flags:
            flags = _flags(flags)
        if bufsize == 0 or bufsize > 0x7FFFFFFF:
            try:
                return bytes(self._so.Recv(bufsize, flags))
            except _NetError as exc:
                _raise(exc)
        # A fresh bytes object nobody else has seen yet is filled in place, as CPython's sock_recv does.
        data = _new_bytes(None, bufsize)
        result = _native_recv_into(self._h, data, bufsize, bufsize, flags)
        if result < 0:
            _native_fail(result, _NetError, _raise)
        return data if result == bufsize else data[:result]

    def recv_into(self, buffer, nbytes=0, flags=0):
        nbytes = _index(nbytes)
        if nbytes < 0:
            raise ValueError("negative buffersize in recv_into")
        length = _buffer_length(buffer)
        if nbytes > length:
            raise ValueError("buffer too small for requested bytes")
        if flags.__class__ is not int or flags:
            flags = _flags(flags)
        view = _Py_buffer()
        _get_buffer(buffer, view, _PyBUF_WRITABLE)
        try:
            result = _native_recv_into(self._h, view.buf, view.len, nbytes, flags)
        finally:
            _release_buffer(view)
        if result < 0:
            _native_fail(result, _NetError, _raise)
        return result

    def recvfrom(self, bufsize, flags=0):
        bufsize = _index(bufsize)
        if bufsize < 0:
            raise ValueError("negative buffersize in recvfrom")
        try:
            result = self._so.RecvFrom(bufsize, _flags(flags))
        except _NetError as exc:
            _raise(exc)
        return bytes(result[0]), _address_tuple(result[1])

    def recvfrom_into(self, buffer, nbytes=0, flags=0):
        nbytes = _index(nbytes)
        if nbytes < 0:
            raise ValueError("negative buffersize in recvfrom_into")
        if nbytes > _buffer_length(buffer):
            raise ValueError("nbytes is greater than the length of the buffer")
        try:
            result = _Bridge.RecvFromInto(self._so, buffer, nbytes, _flags(flags))
        except _NetError as exc:
            _raise(exc)
        return int(result[0]), _address_tuple(result[1])


_native_send = _native.send
_native_sendall = _native.sendall
_native_recv_into = _native.recv_into
_native_fail = _native.fail
_new_bytes = _native.new_bytes
_Py_buffer = _native.Py_buffer
_get_buffer = _native.get_buffer
_release_buffer = _native.release_buffer
_PyBUF_SIMPLE = _native.PyBUF_SIMPLE
_PyBUF_WRITABLE = _native.PyBUF_WRITABLE


def _send_buffer(entry, handle, data, flags):
    """Calls a native send entry point with data's bytes: a bytes object as is, anything else through its buffer."""
    if data.__class__ is bytes:
        return entry(handle, data, len(data), flags)
    view = _Py_buffer()
    _get_buffer(data, view, _PyBUF_SIMPLE)
    try:
        return entry(handle, view.buf, view.len, flags)
    finally:
        _release_buffer(view)


def _address_tuple(address):
    """The library's address (or null) -> CPython's (or None)."""
    return _name(address)

def _buffer_length(buffer):
    try:
        with memoryview(buffer) as view:
            if view.readonly:
                raise TypeError(f"recv_into() argument 1 must be read-write bytes-like object, not {type(buffer).__name__}")
            return view.nbytes
    except TypeError as exc:
        if "read-write" in str(exc):
            raise
        raise TypeError(f"recv_into() argument 1 must be read-write bytes-like object, not {type(buffer).__name__}") from None


socket.__module__ = "_socket"
SocketType = socket

# --------------------------------------------------------------------------------------------- module functions


def close(fd):
    try:
        _SocketObject.CloseFd(_int(fd))
    except _NetError as exc:
        _raise(exc)


def dup(fd):
    try:
        return _SocketObject.DupFd(_int(fd))
    except _NetError as exc:
        _raise(exc)


def socketpair(family=AF_UNIX, type=SOCK_STREAM, proto=0):
    """socketpair([family[, type [, proto]]]) -> (socket object, socket object): a connected pair from the kernel."""
    family = _int(family)
    type = _int(type)
    proto = _int(proto)
    try:
        pair = _SocketObject.SocketPair(family, type, proto)
    except _NetError as exc:
        _raise(exc)
    return _wrap(pair[0]), _wrap(pair[1])


def _wrap(so):
    # Everything __init__ sets: the native call path needs the handle and the cached fd.
    s = socket.__new__(socket)
    s._so = so
    s._h = _native.new_handle(so)
    s._fd = _native.fileno(s._h)
    return s


def getdefaulttimeout():
    return _SocketObject.DefaultTimeout


def setdefaulttimeout(value):
    seconds = _timeout_arg(value)
    try:
        _SocketObject.DefaultTimeout = seconds
    except _NetError as exc:
        _raise(exc)


# Name service and conversion functions (getaddrinfo, inet_pton, htons...): see _net.
_net_names = _net.bind(globals(), _raise, _NetError)


def _install_signal_hook():
    # PEP 475 for threads blocked in the library (see SignalBridge): calling this no-op from .NET lets the eval
    # loop run pending signal handlers on the main thread.
    def _check_signals():
        return None
    _SignalBridge.Install(_check_signals)


_install_signal_hook()


# A forked child cannot run .NET: its sockets switch to CPython's C socket on the same descriptors (_forked).
from . import _forked  # noqa: E402

_forked.install_socket(_sys.modules[__name__], _SocketObject)

__all__ = sorted(
    ["socket", "SocketType", "error", "timeout", "herror", "gaierror", "has_ipv6", "close", "dup", "socketpair",
     "getdefaulttimeout", "setdefaulttimeout"] + _constant_names + _net_names)


# sendmsg/recvmsg/recvmsg_into and the CMSG_* helpers live in _msg.py (datagram sockets carry real control messages through the library; stream sockets none yet).
from . import _msg  # noqa: E402

socket.sendmsg = _msg.sendmsg
socket.recvmsg = _msg.recvmsg
socket.recvmsg_into = _msg.recvmsg_into
CMSG_LEN = _msg.CMSG_LEN
CMSG_SPACE = _msg.CMSG_SPACE
__all__ = sorted(__all__ + ["CMSG_LEN", "CMSG_SPACE"])
