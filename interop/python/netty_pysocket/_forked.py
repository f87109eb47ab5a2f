"""What a forked child gets: CPython's own C ``_socket`` and ``select`` on the descriptors it inherited.

.NET does not survive fork(): the child has only the forking thread, without the GC, thread pool, socket engine and
event loop threads, so a call into the library crashes or hangs it. The descriptors are real kernel sockets, though,
and CPython's child simply goes on using them. So in a forked child every binding socket becomes a front for a C
socket object on the same descriptor (its *twin*), and select/poll/epoll become CPython's; nothing in the child
reaches .NET again (socketserver's Forking* servers: the child serves the request the parent accepted).
design/interop.md, "fork".
"""
import errno as _errno
import importlib.machinery as _machinery
import importlib.util as _util
import os as _os
import sys as _sys
import warnings as _warnings
from types import FunctionType as _FunctionType

_c_socket = None  # CPython's C modules, loaded in the parent before the first fork (never dlopen in a child)
_c_select = None
_Twin = None
_timeouts = {}  # fd -> the Python-level timeout the parent's socket objects gave it, read before fork
_default_timeout = None
_parked = []  # library objects the child drops: freeing their .NET side would run .NET code

# A twin in blocking mode waits in poll(2) with this timeout instead of clearing O_NONBLOCK: the open file
# description is shared with the parent, whose socket engine must never find a descriptor of its own blocking.
_FOREVER = 1e9


def _load_c_module(name):
    """The C extension module `name` from the interpreter's path, without disturbing sys.modules (single-phase
    extension modules put themselves there)."""
    saved = _sys.modules.get(name)
    try:
        spec = _machinery.PathFinder.find_spec(name)
        if spec is None:
            return None
        module = _util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        if saved is not None:
            _sys.modules[name] = saved


def _before_fork(socket_object_type):
    global _c_socket, _c_select, _Twin, _timeouts, _default_timeout
    if _c_socket is None:
        _c_socket = _load_c_module("_socket")
        _c_select = _load_c_module("select")

        class _Twin(_c_socket.socket):
            __slots__ = ("_mode",)  # the Python-level timeout (None for blocking, see _FOREVER)

        globals()["_Twin"] = _Twin
    pairs = list(socket_object_type.DescriptorTimeouts())
    _timeouts = {int(pairs[i]): (None if pairs[i + 1] is None else float(pairs[i + 1]))
                 for i in range(0, len(pairs), 2)}
    _default_timeout = socket_object_type.DefaultTimeout


def _replace(owner, name, value, setter=setattr):
    """Sets an attribute in the child, keeping the old value alive: dropping the last reference to a pythonnet
    object would run .NET code (its finalization), which aborted children (SIGABRT)."""
    _parked.append(getattr(owner, name, None) if not isinstance(owner, type) else vars(owner).get(name))
    setter(owner, name, value)


def _set_mode(twin, seconds):
    twin._mode = seconds
    twin.settimeout(_FOREVER if seconds is None else seconds)


def _bad_fd():
    return OSError(_errno.EBADF, _os.strerror(_errno.EBADF))


def _twin_of(sock):
    """The C socket behind a binding socket in the child; made on first use from the inherited descriptor."""
    twin = sock._so
    if type(twin) is _Twin:
        return twin
    fd = sock._fd
    if fd < 0:
        raise _bad_fd()
    new = _Twin(fileno=fd)
    _set_mode(new, _timeouts.get(fd, _default_timeout))
    _parked.append(twin)
    sock._so = new
    return new


def _delegate(name):
    def method(self, *args, **kwargs):
        return getattr(_twin_of(self), name)(*args, **kwargs)
    method.__name__ = name
    return method


def _attribute(name):
    return property(lambda self: getattr(_twin_of(self), name))


def _socket_in_child(module):
    """after_in_child for the ``_socket`` binding: the socket class and module functions switch to the twins."""
    if _c_socket is None:  # forked before the hook could load them (cannot happen: before runs first)
        return
    cls = module.socket
    _c_socket.setdefaulttimeout(_default_timeout)

    def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
        twin = _Twin(family, type, proto, fileno)
        self._so = twin
        self._h = None
        self._fd = twin.fileno()
        _set_mode(twin, twin.gettimeout())

    def __del__(self):
        try:
            so = self._so
        except AttributeError:
            return
        if type(so) is _Twin:
            return  # the twin warns and closes, as CPython's socket finalizer
        _parked.append(so)
        if self._fd != -1:
            _warnings.warn(f"unclosed <socket object, fd={self._fd}>", ResourceWarning, stacklevel=1, source=self)
            try:
                _os.close(self._fd)
            except OSError:
                pass

    def __repr__(self):
        if type(self._so) is not _Twin and self._fd == -1:
            return "<socket object, fd=-1>"
        twin = _twin_of(self)
        return f"<socket object, fd={self._fd}, family={twin.family}, type={twin.type}, proto={twin.proto}>"

    def close(self):
        fd, self._fd = self._fd, -1
        if type(self._so) is _Twin:
            self._so.close()
        elif fd != -1:
            _c_socket.close(fd)

    def detach(self):
        fd, self._fd = self._fd, -1
        if type(self._so) is _Twin:
            return self._so.detach()
        return fd

    def gettimeout(self):
        return _twin_of(self)._mode

    def settimeout(self, value):
        seconds = module._timeout_arg(value)  # CPython's checks, without touching the shared O_NONBLOCK flag
        _set_mode(_twin_of(self), seconds)

    def setblocking(self, flag):
        flag = bool(flag)
        _set_mode(_twin_of(self), None if flag else 0.0)

    def getblocking(self):
        return _twin_of(self)._mode != 0.0

    special = dict(__init__=__init__, __del__=__del__, __repr__=__repr__, close=close, detach=detach,
                   gettimeout=gettimeout, settimeout=settimeout, setblocking=setblocking, getblocking=getblocking,
                   fileno=cls.fileno, timeout=property(gettimeout))
    for name, value in list(vars(cls).items()):
        if name in special:
            _replace(cls, name, special[name])
        elif name in ("family", "type", "proto"):
            _replace(cls, name, _attribute(name))
        elif callable(value) and not name.startswith("__"):
            _replace(cls, name, _delegate(name))

    # Module functions (getaddrinfo, inet_pton, dup, close...) become the C module's, here and where socket.py's
    # "from _socket import *" copied them.
    replaced = {}
    for name, value in list(vars(module).items()):
        if callable(value) and not isinstance(value, type) and not name.startswith("_") and hasattr(_c_socket, name):
            replaced[id(value)] = getattr(_c_socket, name)
            _replace(module, name, replaced[id(value)])
    stdlib = _sys.modules.get("socket")
    if stdlib is not None:
        for name, value in list(vars(stdlib).items()):
            if id(value) in replaced and not name.startswith("_"):
                _replace(stdlib, name, replaced[id(value)])


def _select_in_child(module):
    """after_in_child for the ``select`` binding: select/poll/epoll become CPython's for what the child makes;
    poll and epoll objects inherited from the parent refuse (they live in .NET)."""
    if _c_select is None:
        return

    def refuse(*_args, **_kwargs):
        raise OSError(_errno.ENOTSUP, "a select.poll/epoll object of the parent cannot be used in a forked child")

    module.select._fn = _c_select.select
    module.poll._fn = _c_select.poll
    module._PollType.register = module._PollType.modify = module._PollType.unregister = refuse
    module._PollType.poll = refuse
    epoll = module.epoll
    epoll.__new__ = lambda cls, *args, **kwargs: _c_select.epoll(*args, **kwargs)
    epoll.fromfd = staticmethod(_c_select.epoll.fromfd)
    epoll.register = epoll.modify = epoll.unregister = epoll.poll = epoll.close = refuse
    epoll.__del__ = lambda self: None


def _ssl_plan(module):
    """In the parent, at import: the binding's own ``_ssl`` types and the members a child must not run. Worked out
    here because in the child even looking at a .NET object (its ``__module__``) runs .NET code."""
    plan = []
    for value in list(vars(module).values()):
        if not isinstance(value, type) or value.__module__ != module.__name__ or issubclass(value, BaseException):
            continue
        for name, member in list(vars(value).items()):
            if name in ("__new__", "__del__"):
                plan.append((value, name, name))
            elif isinstance(member, property) and not name.startswith("__"):
                plan.append((value, name, "property"))
            elif isinstance(member, _FunctionType) and (name == "__init__" or not name.startswith("__")):
                plan.append((value, name, "function"))
    return plan


def _ssl_in_child(module, plan):
    """after_in_child for the ``_ssl`` binding: TLS state lives in .NET, and a child that reached it crashed (and
    took the parent down with it, through state the two share). The binding's types and the functions that reach
    .NET refuse with ENOTSUP instead; the exception classes stay usable."""

    def refuse(*_args, **_kwargs):
        raise OSError(_errno.ENOTSUP, "Netty.PySocket TLS objects cannot be used in a forked child process")

    def refuse_new(cls, *_args, **_kwargs):
        refuse()

    replacement = {"__new__": refuse_new, "__del__": lambda self: None, "property": property(refuse), "function": refuse}
    for cls, name, kind in plan:
        _replace(cls, name, replacement[kind], type.__setattr__)  # type's own: these types refuse attribute changes
    stdlib = _sys.modules.get("ssl")
    for name in ("RAND_status", "RAND_add", "RAND_bytes", "RAND_pseudo_bytes", "get_default_verify_paths",
                 "_test_decode_cert"):
        original = vars(module).get(name)
        if original is None:
            continue
        _replace(module, name, refuse)
        if stdlib is not None and vars(stdlib).get(name) is original:
            _replace(stdlib, name, refuse)  # ssl.py's "from _ssl import RAND_bytes..." copied them


def install_socket(module, socket_object_type):
    _os.register_at_fork(before=lambda: _before_fork(socket_object_type),
                         after_in_child=lambda: _socket_in_child(module))


def install_select(module):
    _os.register_at_fork(after_in_child=lambda: _select_in_child(module))


def install_ssl(module):
    plan = _ssl_plan(module)
    _os.register_at_fork(after_in_child=lambda: _ssl_in_child(module, plan))
