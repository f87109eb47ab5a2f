"""Name-service and address-conversion functions of ``_socket``, on the library's Netty.PySocket.Net classes.

The library takes ``object?`` arguments and raises CPython's exact errors; this module only converts values at the
boundary (tuple -> object[], bytes-like -> byte[], int -> Int64/BigInteger, other objects -> OpaqueValue carrying
the Python type name for the library's messages) and converts results back (object[] -> tuple, lists -> list,
byte[] -> bytes). Library errors go through ``_socket._raise`` (passed in as ``raise_``).
"""
import operator as _operator
import os as _os

import System as _System
from System.Collections import IList as _IList
from Netty.PySocket.Net import (AddressInfo as _AddressInfo, HostNames as _HostNames, Services as _Services,  # noqa: E402
                                InetConversions as _Inet, ByteOrder as _ByteOrder, Interfaces as _Interfaces,
                                OpaqueValue as _OpaqueValue)
from System.Numerics import BigInteger as _BigInteger  # noqa: E402

_MISSING = object()


def _net(value):
    """A Python argument -> the .NET value the library's object? parameters expect."""
    if value is None:
        return value
    if isinstance(value, str):
        # pythonnet aborts the process on a str with lone surrogates: raise CPython's UnicodeEncodeError first.
        value.encode("utf-8")
        return value
    if isinstance(value, bool):
        return _System.Boolean(value)
    if isinstance(value, int):
        value = int(value)
        if -(1 << 63) <= value < (1 << 63):
            return _System.Int64(value)
        return _BigInteger.Parse(str(value))
    if isinstance(value, float):
        return _System.Double(value)
    if isinstance(value, tuple):
        return _System.Array[_System.Object]([_net(v) for v in value])
    if isinstance(value, (bytes, bytearray)):
        return _System.Array[_System.Byte](bytes(value))
    return _OpaqueValue(type(value).__name__)


def _net_buffer(value):
    """A "y*" argument: any bytes-like object -> byte[]; anything else keeps its type name for the error."""
    if isinstance(value, (bytes, bytearray)):
        return _System.Array[_System.Byte](bytes(value))
    if not isinstance(value, str):
        try:
            with memoryview(value) as view:
                return _System.Array[_System.Byte](view.tobytes())
        except TypeError:
            pass
    return _net(value)


def _py(value):
    """A library result -> Python value."""
    if value is None or isinstance(value, (str, int, float)):
        return value
    if isinstance(value, _System.Array[_System.Byte]):
        return bytes(value)
    if isinstance(value, _System.Array[_System.Object]):
        return tuple(_py(v) for v in value)
    if isinstance(value, _IList):
        return [_py(v) for v in value]
    if isinstance(value, _BigInteger):
        return int(value.ToString())
    return value


def _c_int(value):
    """CPython's "i" argument format."""
    value = _operator.index(value)
    if value > 0x7FFFFFFF:
        raise OverflowError("signed integer is greater than maximum")
    if value < -0x80000000:
        raise OverflowError("signed integer is less than minimum")
    return value


def _index_or_net(value):
    """An int argument: objects with __index__ become ints (Argument Clinic's int converters), others pass through."""
    if not isinstance(value, int) and hasattr(type(value), "__index__"):
        value = _operator.index(value)
    return _net(value)


def bind(ns, raise_, net_error):
    def call(fn, *args):
        try:
            return fn(*args)
        except net_error as exc:
            raise_(exc)

    def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
        family, type, proto, flags = _c_int(family), _c_int(type), _c_int(proto), _c_int(flags)
        if isinstance(host, bytearray):
            host = _OpaqueValue("bytearray")  # "OO": CPython accepts only str, bytes or None
        else:
            host = _net(host)
        if isinstance(port, bytearray):
            port = _OpaqueValue("bytearray")
        else:
            port = _index_or_net(port) if not isinstance(port, (str, bytes)) and port is not None else _net(port)
        return _py(call(_AddressInfo.GetAddrInfo, host, port, family, type, proto, flags))

    def getnameinfo(sockaddr, flags):
        if not isinstance(sockaddr, tuple):
            # Checked here, and the name dropped before raising: the traceback keeps this frame, whose reference
            # to the argument would otherwise outlive the call (test_socket's testRefCountGetNameInfo).
            del sockaddr
            raise TypeError("getnameinfo() argument 1 must be a tuple")
        return _py(call(_AddressInfo.GetNameInfo, _net(sockaddr), _index_or_net(flags)))

    def gethostname():
        return call(_HostNames.GetHostName)

    def sethostname(name):
        # "S" (bytes) or "O&" with PyUnicode_FSConverter (str, bytes, os.PathLike), then the buffer, as CPython.
        if not isinstance(name, bytes):
            name = _os.fsencode(name)
        call(_HostNames.SetHostName, _System.Array[_System.Byte](name))

    def gethostbyname(hostname):
        return call(_HostNames.GetHostByName, _net(hostname))

    def gethostbyname_ex(hostname):
        return _py(call(_HostNames.GetHostByNameEx, _net(hostname)))

    def gethostbyaddr(ip_address):
        return _py(call(_HostNames.GetHostByAddr, _net(ip_address)))

    def getservbyname(servicename, protocolname=_MISSING):
        if protocolname is _MISSING:
            return call(_Services.GetServByName, _net(servicename))
        return call(_Services.GetServByName, _net(servicename), _net(protocolname))

    def getservbyport(port, protocolname=_MISSING):
        if protocolname is _MISSING:
            return call(_Services.GetServByPort, _index_or_net(port))
        return call(_Services.GetServByPort, _index_or_net(port), _net(protocolname))

    def getprotobyname(protocolname):
        return call(_Services.GetProtoByName, _net(protocolname))

    def htons(x):
        return call(_ByteOrder.Htons, _index_or_net(x))

    def ntohs(x):
        return call(_ByteOrder.Ntohs, _index_or_net(x))

    def htonl(x):
        return call(_ByteOrder.Htonl, _index_or_net(x))

    def ntohl(x):
        return call(_ByteOrder.Ntohl, _index_or_net(x))

    def inet_aton(string):
        return bytes(call(_Inet.InetAton, _net(string)))

    def inet_ntoa(packed_ip):
        return call(_Inet.InetNtoa, _net_buffer(packed_ip))

    def inet_pton(address_family, ip_string):
        return bytes(call(_Inet.InetPton, _c_int(address_family), _net(ip_string)))

    def inet_ntop(address_family, packed_ip):
        return call(_Inet.InetNtop, _c_int(address_family), _net_buffer(packed_ip))

    def if_nameindex():
        return _py(call(_Interfaces.IfNameIndex))

    def if_nametoindex(oname):
        if not isinstance(oname, (str, bytes)) and hasattr(oname, "__fspath__"):
            import os
            oname = os.fspath(oname)
        return call(_Interfaces.IfNameToIndex, _net(oname))

    def if_indextoname(index):
        return call(_Interfaces.IfIndexToName, _index_or_net(index))

    names = ["getaddrinfo", "gethostname", "sethostname", "gethostbyname", "gethostbyname_ex", "gethostbyaddr", "getnameinfo",
             "getservbyname", "getservbyport", "getprotobyname", "htons", "ntohs", "htonl", "ntohl", "inet_aton",
             "inet_ntoa", "inet_pton", "inet_ntop", "if_nameindex", "if_nametoindex", "if_indextoname"]
    local = locals()
    for n in names:
        ns[n] = local[n]
    return names
