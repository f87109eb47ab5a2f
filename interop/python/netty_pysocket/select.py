"""``select`` for CPython-compatible runtimes on .NET, on Netty.PySocket.

STOPGAP until the library's select lands (select issue): ``select()`` exists (selectors.SelectSelector binds it
at import time) but raises OSError(ENOSYS); poll/epoll are absent so selectors falls back to SelectSelector.
Replaced by the library-backed select/poll/epoll once Netty.PySocket.Select is on main.
"""
import errno as _errno

error = OSError


def select(rlist, wlist, xlist, timeout=None):
    """select(rlist, wlist, xlist[, timeout]) -> (rlist, wlist, xlist)  [not available yet]"""
    raise OSError(_errno.ENOSYS, "select() is not available yet in Netty.PySocket")
