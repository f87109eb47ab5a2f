"""sendmsg / recvmsg / recvmsg_into and CMSG_LEN / CMSG_SPACE for the ``_socket`` binding.

Datagram sockets (UDP, UDP-Lite, AF_UNIX SOCK_DGRAM) use the library's SendMsg/RecvMsg: real sendmsg(2)/recvmsg(2)
with control messages, msg_flags as the kernel reports them. So do stream sockets when control data is involved
(AF_UNIX SCM_RIGHTS/SCM_CREDENTIALS; recvmsg with an ancillary buffer); on TCP, SOL_SOCKET control messages fail
with EINVAL as on Linux and other levels are ignored, as the Linux TCP stack does. Without control data a stream
recvmsg/sendmsg is recv/send.
Argument checks and their errors are CPython's.
"""
import errno as _errno
import operator as _operator
import warnings as _warnings

SOL_SOCKET = 1
SOCK_DGRAM = 2
AF_UNIX = 1
_CMSG_HDR = 16           # sizeof(struct cmsghdr) on Linux x86_64
_SOCKLEN_LIMIT = 0x7FFFFFFF


def CMSG_LEN(length, /):
    """CMSG_LEN(length) -> control message length, as CPython on Linux."""
    length = _operator.index(length)
    if length < 0 or length > _SOCKLEN_LIMIT - _CMSG_HDR:
        raise OverflowError("CMSG_LEN() argument out of range")
    return _CMSG_HDR + length


def CMSG_SPACE(length, /):
    """CMSG_SPACE(length) -> buffer size for a control message, as CPython on Linux."""
    length = _operator.index(length)
    # CPython's get_CMSG_SPACE bounds it by CMSG_SPACE(1), the padding before and after the data.
    if length < 0 or length > _SOCKLEN_LIMIT - (_CMSG_HDR + 8):
        raise OverflowError("CMSG_SPACE() argument out of range")
    return _CMSG_HDR + ((length + 7) & ~7)


def _data_buffers(buffers):
    try:
        items = iter(buffers)
    except TypeError:
        raise TypeError("sendmsg() argument 1 must be an iterable") from None
    chunks = []
    for item in items:
        try:
            with memoryview(item) as view:
                chunks.append(view.tobytes())
        except TypeError:
            raise TypeError(f"a bytes-like object is required, not '{type(item).__name__}'") from None
    return b"".join(chunks)


def _ancillary(ancdata):
    try:
        items = iter(ancdata)
    except TypeError:
        raise TypeError("sendmsg() argument 2 must be an iterable") from None
    checked = []
    for item in items:
        if not isinstance(item, (tuple, list)):
            raise TypeError("[sendmsg() ancillary data items]() argument must be 3-item sequence, "
                            f"not {type(item).__name__}")
        if len(item) != 3:
            raise TypeError("[sendmsg() ancillary data items]() argument must be sequence of length 3, "
                            f"not {len(item)}")
        level, kind, data = item
        level, kind = _operator.index(level), _operator.index(kind)
        try:
            memoryview(data).release()
        except TypeError:
            raise TypeError(f"a bytes-like object is required, not '{type(data).__name__}'") from None
        checked.append((level, kind, bytes(data)))
    return checked


def sendmsg(self, buffers, ancdata=(), flags=0, address=None, /):
    """sendmsg(buffers[, ancdata[, flags[, address]]]) -> count of bytes sent."""
    data = _data_buffers(buffers)
    control = _ancillary(ancdata)
    flags = _operator.index(flags)
    from ._socket import _address, _raise, _NetError
    if address is not None:
        address = _address(self.family, address)  # CPython parses it first: TypeError/OverflowError as sendto
    if self.type == SOCK_DGRAM or (control and self.family == AF_UNIX and address is None):
        try:
            return self._so.SendMsg(data, [c[0] for c in control], [c[1] for c in control],
                                    [c[2] for c in control], flags, address)
        except _NetError as exc:
            _raise(exc)
    if any(level == SOL_SOCKET for level, _, _ in control):
        raise OSError(_errno.EINVAL, "Invalid argument")
    return self.send(data, flags)


def _recvmsg_kernel(sock, bufsize, ancbufsize, flags):
    """One recvmsg(2): (data, ancdata, msg_flags, address), warning as CPython on cut control data."""
    from ._socket import _address_tuple, _raise, _NetError
    try:
        result = sock._so.RecvMsg(min(bufsize, _SOCKLEN_LIMIT), ancbufsize, flags)
    except _NetError as exc:
        _raise(exc)
    if result[4]:
        _warnings.warn("received malformed or improperly-truncated ancillary data", RuntimeWarning, stacklevel=3)
    ancdata = [(int(item[0]), int(item[1]), bytes(item[2])) for item in result[1]]
    return bytes(result[0]), ancdata, int(result[2]), _address_tuple(result[3])


def _ancbufsize(ancbufsize):
    ancbufsize = _operator.index(ancbufsize)
    if ancbufsize < 0 or ancbufsize > _SOCKLEN_LIMIT:
        raise ValueError("invalid ancillary data buffer length")
    return ancbufsize


def recvmsg(self, bufsize, ancbufsize=0, flags=0, /):
    """recvmsg(bufsize[, ancbufsize[, flags]]) -> (data, ancdata, msg_flags, address)."""
    bufsize = _operator.index(bufsize)
    if bufsize < 0:
        raise ValueError("negative buffer size in recvmsg()")
    ancbufsize = _ancbufsize(ancbufsize)
    flags = _operator.index(flags)
    if self.type == SOCK_DGRAM or ancbufsize > 0:
        return _recvmsg_kernel(self, bufsize, ancbufsize, flags)
    # A connected stream socket's msg_name is empty: CPython reports the address as None.
    return self.recv(bufsize, flags), [], 0, None


def recvmsg_into(self, buffers, ancbufsize=0, flags=0, /):
    """recvmsg_into(buffers[, ancbufsize[, flags]]) -> (nbytes, ancdata, msg_flags, address)."""
    try:
        items = iter(buffers)
    except TypeError:
        raise TypeError("recvmsg_into() argument 1 must be an iterable") from None
    views = []
    try:
        for item in items:
            try:
                view = memoryview(item)
            except TypeError:
                raise TypeError("recvmsg_into() argument 1 must be an iterable of single-segment "
                                "read-write buffers") from None
            if view.readonly:
                view.release()
                raise TypeError("recvmsg_into() argument 1 must be an iterable of single-segment "
                                "read-write buffers")
            views.append(view.cast("B") if view.format != "B" or view.ndim != 1 else view)
        ancbufsize = _ancbufsize(ancbufsize)
        flags = _operator.index(flags)
        total = sum(len(v) for v in views)
        if self.type == SOCK_DGRAM or ancbufsize > 0:
            data, ancdata, msg_flags, address = _recvmsg_kernel(self, total, ancbufsize, flags)
            _scatter(data, views)
            return len(data), ancdata, msg_flags, address
        if len(views) == 1:
            return self.recv_into(views[0], 0, flags), [], 0, None
        scratch = bytearray(total)
        nbytes = self.recv_into(scratch, 0, flags)
        _scatter(memoryview(scratch)[:nbytes], views)
        return nbytes, [], 0, None
    finally:
        for view in views:
            view.release()


def _scatter(data, views):
    """Fills the buffers in order with data (as recvmsg(2)'s iovecs are filled)."""
    offset = 0
    for view in views:
        take = min(len(view), len(data) - offset)
        if take <= 0:
            break
        view[:take] = data[offset:offset + take]
        offset += take
