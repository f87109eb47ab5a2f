"""``select`` for CPython-compatible runtimes on .NET, on Netty.PySocket.Select.

Exposes what CPython 3.11's Linux ``select`` module exposes: ``select``, ``poll``, ``epoll``, ``error``, the POLL*
and EPOLL* constants and ``PIPE_BUF``. Arguments are converted here as CPython converts them (``fileno()``, the
sequence protocol, timeouts), the library does the waiting; its errors go through ``_socket._raise``.

Limitation: the library only knows descriptors of its own sockets. ``select()`` and ``epoll.register()`` raise
OSError(EBADF) for any other descriptor (os.pipe(), files, ...); ``poll`` accepts them and reports POLLNVAL.
"""
import operator as _operator
from array import array as _array

import System as _System

from . import _socket as _sock  # loads the assemblies; _raise is THE error translation
from Netty.PySocket.Errors import PySocketException as _NetError  # noqa: E402
from Netty.PySocket.Select import SelectModule as _SelectModule, PollEvents as _PollEvents  # noqa: E402

_raise = _sock._raise
_to_net_int = _sock._to_net_int
_native_select = _sock._native.select
_native_fail = _sock._native.fail

error = OSError
PIPE_BUF = 4096
_FD_SETSIZE = 1024

_CONSTANTS = ("POLLIN", "POLLPRI", "POLLOUT", "POLLERR", "POLLHUP", "POLLNVAL", "POLLRDNORM", "POLLRDBAND",
              "POLLWRNORM", "POLLWRBAND", "POLLMSG", "POLLRDHUP",
              "EPOLLIN", "EPOLLOUT", "EPOLLPRI", "EPOLLERR", "EPOLLHUP", "EPOLLET", "EPOLLONESHOT", "EPOLLEXCLUSIVE",
              "EPOLLRDHUP", "EPOLLRDNORM", "EPOLLRDBAND", "EPOLLWRNORM", "EPOLLWRBAND", "EPOLLMSG", "EPOLL_CLOEXEC")
for _name in _CONSTANTS:
    globals()[_name] = int(getattr(_PollEvents, _name))
del _name


# A callable that, like a C builtin, does not become a bound method when stored on a class
# (selectors.SelectSelector does ``_select = select.select`` and calls ``self._select(r, w, x, t)``).
class _Builtin:
    __slots__ = ("_fn", "__name__", "__qualname__", "__doc__")

    def __init__(self, fn):
        self._fn = fn
        self.__name__ = self.__qualname__ = fn.__name__
        self.__doc__ = fn.__doc__

    def __call__(self, *args, **kwargs):
        return self._fn(*args, **kwargs)

    def __repr__(self):
        return f"<built-in function {self.__name__}>"


def _c_int(value):
    if not -0x80000000 <= value <= 0x7FFFFFFF:
        raise OverflowError("Python int too large to convert to C int")
    return value


def _fileno(obj):
    """PyObject_AsFileDescriptor."""
    if isinstance(obj, int):
        fd = _c_int(int(obj))
    else:
        try:
            meth = obj.fileno
        except AttributeError:
            raise TypeError("argument must be an int, or have a fileno() method.") from None
        fd = meth()
        if not isinstance(fd, int):
            raise TypeError("fileno() returned a non-integer")
        fd = _c_int(int(fd))
    if fd < 0:
        raise ValueError(f"file descriptor cannot be a negative integer ({fd})")
    return fd


def _net_time(value, message):
    """A timeout (float, or int via __index__) as a .NET value for SelectArgs; other types -> TypeError(message)."""
    if isinstance(value, float):
        return _System.Double(value)
    try:
        value = _operator.index(value)
    except TypeError:
        raise TypeError(message) from None
    return _to_net_int(value)


_int_arg = _sock._net._c_int  # CPython's "i" argument format


def _fd_events(results):
    return [(int(item.Item1), int(item.Item2)) for item in results]


def _seq(seq):
    """PySequence_Fast: a list or tuple itself (fileno() calls may resize a list meanwhile), anything else copied."""
    if isinstance(seq, (list, tuple)):
        return seq
    try:
        return list(seq)
    except TypeError:
        raise TypeError("arguments 1-3 must be sequences") from None


def _select(rlist, wlist, xlist, timeout=None):
    """select(rlist, wlist, xlist, timeout=None, /)

Wait until one or more file descriptors are ready for some kind of I/O."""
    # The timeout as the native entry point takes it: kind 0 = None, 1 = float seconds, 2 = int seconds.
    if timeout is None:
        kind, seconds, whole = 0, 0.0, 0
    elif isinstance(timeout, float):
        kind, seconds, whole = 1, timeout, 0
    else:
        try:
            whole = _operator.index(timeout)
        except TypeError:
            raise TypeError("timeout must be a float or None") from None
        if not -(1 << 63) <= whole < (1 << 63):
            return _select_big_timeout(rlist, wlist, xlist, whole)
        kind, seconds = 2, 0.0
    lists = []
    fds = []
    for seq in (rlist, wlist, xlist):
        # PySequence_Fast: an exact list is read live (a fileno() that shrinks it shortens the walk), anything
        # else is copied first.
        items = seq if seq.__class__ is list else _seq(seq)
        objs = []
        i = 0
        while i < len(items):
            obj = items[i]
            fd = _fileno(obj)
            if fd >= _FD_SETSIZE:
                raise ValueError("filedescriptor out of range in select()")
            fds.append(fd)
            objs.append(obj)
            i += 1
        lists.append(objs)
    fd_array = _array("i", fds)
    ready = _array("i", bytes(4 * (len(fds) + 3)))
    result = _native_select(fd_array.buffer_info()[0], len(lists[0]), len(lists[1]), len(lists[2]),
                            kind, seconds, whole, ready.buffer_info()[0])
    if result < 0:
        _native_fail(result, _NetError, _raise)
    nr, nw = ready[0], ready[1]
    end_r, end_w = 3 + nr, 3 + nr + nw
    robjs, wobjs, xobjs = lists
    return ([robjs[i] for i in ready[3:end_r]],
            [wobjs[i] for i in ready[end_r:end_w]],
            [xobjs[i] for i in ready[end_w:end_w + ready[2]]])


def _select_big_timeout(rlist, wlist, xlist, timeout):
    """select() with an int timeout beyond 64 bits: the library raises CPython's OverflowError for it."""
    net_timeout = _to_net_int(timeout)
    lists = []
    for seq in (rlist, wlist, xlist):
        fast = _seq(seq)
        objs, fds = [], []
        i = 0
        while i < len(fast):  # re-read each time, as CPython's seq2set (test_select_mutated)
            obj = fast[i]
            fd = _fileno(obj)
            if fd >= _FD_SETSIZE:
                raise ValueError("filedescriptor out of range in select()")
            objs.append(obj)
            fds.append(fd)
            i += 1
        lists.append((objs, _System.Array[_System.Int32](fds)))
    try:
        ready = _SelectModule.SelectFds(lists[0][1], lists[1][1], lists[2][1], net_timeout)
    except _NetError as exc:
        _raise(exc)
    return ([lists[0][0][i] for i in ready.Readable],
            [lists[1][0][i] for i in ready.Writable],
            [lists[2][0][i] for i in ready.Exceptional])


_select.__name__ = "select"
select = _Builtin(_select)


def _ushort(value):
    """_PyLong_UnsignedShort_Converter."""
    if not isinstance(value, int):
        raise TypeError("an integer is required")
    value = int(value)
    if value < 0:
        raise ValueError("value must be positive")
    if value > 0xFFFF:
        raise OverflowError("Python int too large for C unsigned short")
    return _System.Int32(value)


def _uint_mask(value):
    """CPython's "I" format: index() then keep the low 32 bits."""
    return _System.Int64(_operator.index(value) & 0xFFFFFFFF)


class _PollType:
    __slots__ = ("_po",)

    def __init__(self):
        raise TypeError("cannot create 'select.poll' instances")

    def register(self, fd, eventmask=POLLIN | POLLPRI | POLLOUT):  # noqa: F821
        fd = _fileno(fd)
        mask = _ushort(eventmask)
        try:
            self._po.Register(_System.Int32(fd), mask)
        except _NetError as exc:
            _raise(exc)

    def modify(self, fd, eventmask):
        fd = _fileno(fd)
        mask = _ushort(eventmask)
        try:
            self._po.Modify(_System.Int32(fd), mask)
        except _NetError as exc:
            _raise(exc)

    def unregister(self, fd):
        fd = _fileno(fd)
        try:
            self._po.Unregister(_System.Int32(fd))
        except _NetError as exc:
            if exc.Kind.ToString() == "KeyError":
                raise KeyError(fd) from None
            _raise(exc)

    def poll(self, timeout=None):
        net_timeout = None if timeout is None else _net_time(timeout, "timeout must be an integer or None")
        try:
            return _fd_events(self._po.Poll(net_timeout))
        except _NetError as exc:
            _raise(exc)


_PollType.__name__ = _PollType.__qualname__ = "poll"
_PollType.__module__ = "select"


def _poll():
    """poll()

Returns a polling object that supports registering and unregistering file descriptors, and then polling them
for I/O events."""
    obj = object.__new__(_PollType)
    obj._po = _SelectModule.Poll()
    return obj


_poll.__name__ = "poll"
poll = _Builtin(_poll)


class epoll:
    """select.epoll(sizehint=-1, flags=0)

Returns an epolling object."""

    __slots__ = ("_ep", "__weakref__")

    def __new__(cls, sizehint=-1, flags=0):
        sizehint = _int_arg(sizehint)
        flags = _int_arg(flags)
        self = object.__new__(cls)
        try:
            self._ep = _SelectModule.Epoll(sizehint, flags)
        except _NetError as exc:
            _raise(exc)
        return self

    def __init__(self, sizehint=-1, flags=0):
        pass

    @classmethod
    def fromfd(cls, fd):
        fd = _int_arg(fd)
        self = object.__new__(cls)
        try:
            self._ep = _SelectModule.EpollFromFd(fd)
        except _NetError as exc:
            _raise(exc)
        return self

    @property
    def closed(self):
        return bool(self._ep.Closed)

    def close(self):
        try:
            self._ep.Close()
        except _NetError as exc:
            _raise(exc)

    def fileno(self):
        try:
            return int(self._ep.Fileno())
        except _NetError as exc:
            _raise(exc)

    def register(self, fd, eventmask=EPOLLIN | EPOLLPRI | EPOLLOUT):  # noqa: F821
        if self._ep.Closed:
            raise ValueError("I/O operation on closed epoll object")
        fd = _fileno(fd)
        mask = _uint_mask(eventmask)
        try:
            self._ep.Register(_System.Int32(fd), mask)
        except _NetError as exc:
            _raise(exc)

    def modify(self, fd, eventmask):
        if self._ep.Closed:
            raise ValueError("I/O operation on closed epoll object")
        fd = _fileno(fd)
        mask = _uint_mask(eventmask)
        try:
            self._ep.Modify(_System.Int32(fd), mask)
        except _NetError as exc:
            _raise(exc)

    def unregister(self, fd):
        if self._ep.Closed:
            raise ValueError("I/O operation on closed epoll object")
        fd = _fileno(fd)
        try:
            self._ep.Unregister(_System.Int32(fd))
        except _NetError as exc:
            _raise(exc)

    def poll(self, timeout=None, maxevents=-1):
        if self._ep.Closed:
            raise ValueError("I/O operation on closed epoll object")
        net_timeout = None if timeout is None else _net_time(timeout, "timeout must be an integer or None")
        maxevents = _int_arg(maxevents)
        try:
            return _fd_events(self._ep.Poll(net_timeout, maxevents))
        except _NetError as exc:
            _raise(exc)

    def __enter__(self):
        if self._ep.Closed:
            raise ValueError("I/O operation on closed epoll object")
        return self

    def __exit__(self, *exc_info):
        self.close()
        return None

    def __del__(self):
        ep = getattr(self, "_ep", None)
        if ep is not None:
            try:
                ep.Close()
            except Exception:
                pass


epoll.__module__ = "select"

__all__ = ["select", "poll", "epoll", "error", "PIPE_BUF"] + list(_CONSTANTS)


# A forked child cannot run .NET: select/poll/epoll switch to CPython's C module there (_forked).
from . import _forked  # noqa: E402
import sys as _sys  # noqa: E402

_forked.install_select(_sys.modules[__name__])
