"""Netty.PySocket binding for CPython-compatible runtimes on .NET.

``install()`` puts this package's ``_socket``, ``select`` and ``_ssl`` modules into ``sys.modules`` under those names,
so the unmodified stdlib ``socket``, ``selectors``, ``ssl``, ``socketserver``, ``http``, ``asyncio``... run on
Netty.PySocket. It
must run before anything imports ``socket`` (the host does it right after starting the interpreter).
"""
import sys

# Modules that would have bound themselves to the C implementations if imported earlier.
_MUST_NOT_BE_LOADED = ("socket", "_socket", "select", "selectors", "ssl", "_ssl", "asyncio",
                       "socketserver", "http.client", "urllib.request")

installed = False


def install():
    global installed
    if installed:
        return
    early = [name for name in _MUST_NOT_BE_LOADED if name in sys.modules]
    if early:
        raise RuntimeError("netty_pysocket.install() must run before these are imported: " + ", ".join(early))
    from . import _socket as socket_binding
    from . import select as select_binding
    sys.modules["_socket"] = socket_binding
    sys.modules["select"] = select_binding
    # CPython's own _ssl would reach into the C socket API of our objects: ssl.py runs on our _ssl instead.
    from . import _ssl as ssl_binding
    sys.modules["_ssl"] = ssl_binding
    installed = True
