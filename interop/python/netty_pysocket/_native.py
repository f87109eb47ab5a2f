"""The native call path of the binding: ctypes function pointers to NativeEntryPoints (C#) for the hot calls.

A ctypes call costs ~1 us where a pythonnet call costs ~5 us; CFUNCTYPE releases the GIL for the call (the calls
may block) and the entry points never touch the Python C API. Buffers: ``bytes`` go as their own data pointer; any
other object is exported with PyObject_GetBuffer (PyBUF_SIMPLE to send, PyBUF_WRITABLE to receive into, as the
pythonnet SocketBridge did) and released after the call, so its memory cannot move or resize meanwhile (PEP 3118).
Errors come back as codes; :func:`fail` turns them into the same exceptions as the pythonnet path
(design/interop.md, "The native call path").
"""
import ctypes as _ctypes
from ctypes import c_int, c_double, c_longlong, c_ssize_t, c_void_p, py_object, POINTER as _POINTER

from Netty.PySocket.Python import NativeEntryPoints as _Entry  # noqa: E402

_PENDING = int(_Entry.Pending)
_TIMED_OUT = int(_Entry.TimedOut)
_OS_ERROR_BASE = int(_Entry.OsErrorBase)

_table = [int(address) for address in _Entry.Table()]
_SOCK_IO = _ctypes.CFUNCTYPE(c_longlong, c_ssize_t, c_void_p, c_longlong, c_int)
send = _SOCK_IO(_table[0])
sendall = _SOCK_IO(_table[1])
recv_into = _ctypes.CFUNCTYPE(c_longlong, c_ssize_t, c_void_p, c_longlong, c_int, c_int)(_table[2])
select = _ctypes.CFUNCTYPE(c_longlong, c_void_p, c_int, c_int, c_int, c_int, c_double, c_longlong, c_void_p)(_table[3])
fileno = _ctypes.CFUNCTYPE(c_longlong, c_ssize_t)(_table[4])
del _table

new_handle = _Entry.NewHandle
free_handle = _Entry.FreeHandle


class Py_buffer(_ctypes.Structure):
    """CPython 3.11's Py_buffer (Include/pybuffer.h)."""
    _fields_ = [("buf", c_void_p), ("obj", py_object), ("len", c_ssize_t), ("itemsize", c_ssize_t),
                ("readonly", c_int), ("ndim", c_int), ("format", c_void_p), ("shape", c_void_p),
                ("strides", c_void_p), ("suboffsets", c_void_p), ("internal", c_void_p)]


PyBUF_SIMPLE = 0
PyBUF_WRITABLE = 1

# pythonapi functions hold the GIL and raise the Python error they set (PyObject_GetBuffer's own TypeError...).
get_buffer = _ctypes.pythonapi.PyObject_GetBuffer
get_buffer.argtypes = (py_object, _POINTER(Py_buffer), c_int)
get_buffer.restype = c_int
release_buffer = _ctypes.pythonapi.PyBuffer_Release
release_buffer.argtypes = (_POINTER(Py_buffer),)
release_buffer.restype = None
# recv(n) fills a fresh bytes object, as CPython's sock_recv does (PyBytes_FromStringAndSize(NULL, n)).
new_bytes = _ctypes.pythonapi.PyBytes_FromStringAndSize
new_bytes.argtypes = (c_void_p, c_ssize_t)
new_bytes.restype = py_object

_strerror = {}


def fail(code, NetError, raise_):
    """Raises the exception an entry point's negative result stands for."""
    if code <= _OS_ERROR_BASE:
        errno = _OS_ERROR_BASE - code
        message = _strerror.get(errno)
        if message is None:
            message = _strerror[errno] = str(_Entry.StrError(errno))
        raise OSError(errno, message)
    if code == _TIMED_OUT:
        raise TimeoutError("timed out")
    try:
        _Entry.RaisePending()
    except NetError as exc:
        raise_(exc)
    raise AssertionError(f"native entry point returned {code} without an error")
