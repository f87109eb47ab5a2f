"""sendmsg / recvmsg / recvmsg_into and CMSG_LEN / CMSG_SPACE for the ``_socket`` binding.

Built on the socket's own send/sendto/recv/recvfrom, so they share the library's modes, errors and data path.
Ancillary data: argument checks are CPython's; none is ever received (the library has no control-message path),
and sending SOL_SOCKET control messages (SCM_RIGHTS, SCM_CREDENTIALS) fails with EINVAL as on an AF_INET socket
on Linux; other levels are accepted and, as the Linux TCP stack does, ignored.
"""
import errno as _errno
import operator as _operator

SOL_SOCKET = 1
SOCK_DGRAM = 2
MSG_PEEK = 0x2
MSG_TRUNC = 0x20
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
    if length < 0 or _CMSG_HDR + ((length + 7) & ~7) > _SOCKLEN_LIMIT:
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
        checked.append((level, kind))
    return checked


def sendmsg(self, buffers, ancdata=(), flags=0, address=None, /):
    """sendmsg(buffers[, ancdata[, flags[, address]]]) -> count of bytes sent."""
    data = _data_buffers(buffers)
    control = _ancillary(ancdata)
    flags = _operator.index(flags)
    if address is not None:
        from ._socket import _address
        _address(self.family, address)  # CPython parses it first: TypeError/OverflowError as sendto
    if any(level == SOL_SOCKET for level, _ in control):
        raise OSError(_errno.EINVAL, "Invalid argument")
    if address is not None and self.type == SOCK_DGRAM:
        return self.sendto(data, flags, address)
    return self.send(data, flags)


def _datagram_longer_than(sock, size, flags):
    """MSG_TRUNC for recvmsg: peek one byte more than asked (waiting as the socket's mode says), same datagram."""
    probe, _ = sock.recvfrom(size + 1, flags | MSG_PEEK)
    return len(probe) > size


def _ancbufsize(ancbufsize):
    ancbufsize = _operator.index(ancbufsize)
    if ancbufsize < 0:
        raise ValueError("invalid ancillary data buffer length")
    return ancbufsize


def recvmsg(self, bufsize, ancbufsize=0, flags=0, /):
    """recvmsg(bufsize[, ancbufsize[, flags]]) -> (data, ancdata, msg_flags, address)."""
    bufsize = _operator.index(bufsize)
    if bufsize < 0:
        raise ValueError("negative buffer size in recvmsg()")
    _ancbufsize(ancbufsize)
    flags = _operator.index(flags)
    if self.type == SOCK_DGRAM:
        truncated = _datagram_longer_than(self, bufsize, flags)
        data, address = self.recvfrom(bufsize, flags)
        return data, [], MSG_TRUNC if truncated else 0, address
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
        _ancbufsize(ancbufsize)
        flags = _operator.index(flags)
        total = sum(len(v) for v in views)
        truncated = self.type == SOCK_DGRAM and _datagram_longer_than(self, total, flags)
        msg_flags = MSG_TRUNC if truncated else 0
        if len(views) == 1:
            if self.type == SOCK_DGRAM:
                nbytes, address = self.recvfrom_into(views[0], 0, flags)
                return nbytes, [], msg_flags, address
            return self.recv_into(views[0], 0, flags), [], 0, None
        scratch = bytearray(total)
        if self.type == SOCK_DGRAM:
            nbytes, address = self.recvfrom_into(scratch, 0, flags)
        else:
            nbytes, address = self.recv_into(scratch, 0, flags), None
        offset = 0
        for view in views:
            take = min(len(view), nbytes - offset)
            if take <= 0:
                break
            view[:take] = scratch[offset:offset + take]
            offset += take
        return nbytes, [], msg_flags, address
    finally:
        for view in views:
            view.release()
