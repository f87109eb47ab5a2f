"""``select`` for CPython-compatible runtimes on .NET, on Netty.PySocket.

STOPGAP until the library's select lands (select issue): ``select()`` exists (selectors.SelectSelector binds it
at import time) but raises OSError(ENOSYS); poll/epoll are absent so selectors falls back to SelectSelector.
Replaced by the library-backed select/poll/epoll once Netty.PySocket.Select is on main.
"""
import errno as _errno

error = OSError


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


def _select(rlist, wlist, xlist, timeout=None):
    """select(rlist, wlist, xlist[, timeout]) -> (rlist, wlist, xlist)  [not available yet]"""
    raise OSError(_errno.ENOSYS, "select() is not available yet in Netty.PySocket")


_select.__name__ = "select"
select = _Builtin(_select)
