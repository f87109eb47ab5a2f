"""Name-service and address-conversion functions of ``_socket``.

STOPGAP until the library's Netty.PySocket.Net functions (branch ``net``) land on main: getaddrinfo, gethostbyname
and friends resolve through System.Net.Dns; the pure conversions (inet_*, hton*) are computed here. When the library
API lands, ``bind`` switches to it and this fallback goes away.
"""
import operator as _operator
import struct as _struct

import System as _System
from System.Net import Dns as _Dns, IPAddress as _IPAddress

AF_UNSPEC, AF_INET, AF_INET6 = 0, 2, 10
SOCK_STREAM, SOCK_DGRAM, SOCK_RAW = 1, 2, 3
IPPROTO_TCP, IPPROTO_UDP = 6, 17
AI_PASSIVE, AI_CANONNAME, AI_NUMERICHOST, AI_NUMERICSERV = 1, 2, 4, 1024
EAI_NONAME, EAI_SERVICE, EAI_FAMILY, EAI_SOCKTYPE, EAI_BADFLAGS = -2, -8, -6, -7, -1
_SERVICES = {"http": 80, "https": 443, "ftp": 21, "ssh": 22, "smtp": 25, "pop3": 110, "imap": 143, "echo": 7,
             "daytime": 13, "domain": 53, "telnet": 23, "ntp": 123}


def bind(ns, raise_, net_error):
    gaierror = ns["gaierror"]
    herror = ns["herror"]

    def _parse_ip(host):
        ok, ip = _IPAddress.TryParse(host, None)
        return ip if ok else None

    def _family_of(ip):
        return AF_INET6 if ip.AddressFamily.ToString() == "InterNetworkV6" else AF_INET

    def _text(ip):
        t = ip.ToString()
        return t.split("%")[0]

    def _resolve(host, family, numeric=False):
        if host is None:
            return []
        ip = _parse_ip(host)
        if ip is not None and (":" in host or host.count(".") == 3):
            return [ip]
        if numeric:
            raise gaierror(EAI_NONAME, "Name or service not known")
        if host in ("localhost", "localhost.localdomain", "ip6-localhost"):
            out = []
            if family in (AF_UNSPEC, AF_INET):
                out.append(_IPAddress.Parse("127.0.0.1"))
            if family in (AF_UNSPEC, AF_INET6) and host != "localhost.localdomain":
                out.append(_IPAddress.Parse("::1"))
            return out
        try:
            return list(_Dns.GetHostAddresses(host))
        except Exception:
            raise gaierror(EAI_NONAME, "Name or service not known") from None

    def getaddrinfo(host, port, family=0, type=0, proto=0, flags=0):
        if isinstance(host, (bytes, bytearray)):
            host = bytes(host).decode("ascii")
        elif host is not None and not isinstance(host, str):
            raise TypeError("getaddrinfo() argument 1 must be string or None")
        if isinstance(host, str):
            host = host.encode("idna").decode("ascii")
        if port is None:
            portnum = 0
        elif isinstance(port, int):
            portnum = port
        elif isinstance(port, (str, bytes)):
            p = port.decode() if isinstance(port, bytes) else port
            if p.isdigit():
                portnum = int(p)
            elif flags & AI_NUMERICSERV:
                raise gaierror(EAI_NONAME, "Name or service not known")
            elif p in _SERVICES:
                portnum = _SERVICES[p]
            else:
                raise gaierror(EAI_SERVICE, "Servname not supported for ai_socktype")
        else:
            raise OSError("Int or String expected")
        family, type, proto, flags = map(_operator.index, (family, type, proto, flags))
        if family not in (AF_UNSPEC, AF_INET, AF_INET6):
            raise gaierror(EAI_FAMILY, "ai_family not supported")
        if host is None and port is None:
            raise gaierror(EAI_NONAME, "Name or service not known")
        if host is None or host == "":
            if host == "":
                raise gaierror(EAI_NONAME, "Name or service not known")
            addrs = ([_IPAddress.Parse("0.0.0.0"), _IPAddress.Parse("::")] if flags & AI_PASSIVE
                     else [_IPAddress.Parse("127.0.0.1"), _IPAddress.Parse("::1")])
        else:
            addrs = _resolve(host, family, numeric=bool(flags & AI_NUMERICHOST))
        kinds = [(type, proto)] if type else [(SOCK_STREAM, IPPROTO_TCP), (SOCK_DGRAM, IPPROTO_UDP), (SOCK_RAW, 0)]
        out = []
        for ip in addrs:
            fam = _family_of(ip)
            if family and fam != family:
                continue
            sa = (_text(ip), portnum) if fam == AF_INET else (_text(ip), portnum, 0, int(ip.ScopeId))
            for t, p in kinds:
                if not proto and type:
                    p = IPPROTO_TCP if t == SOCK_STREAM else IPPROTO_UDP if t == SOCK_DGRAM else 0
                out.append((fam, t, p, host if (flags & AI_CANONNAME) and host else "", sa))
        if not out:
            raise gaierror(EAI_NONAME if family == AF_UNSPEC else -9, "Address family for hostname not supported")
        return out

    def gethostname():
        return _Dns.GetHostName()

    def gethostbyname(host):
        for ip in _resolve(host, AF_INET):
            if _family_of(ip) == AF_INET:
                return _text(ip)
        raise gaierror(EAI_NONAME, "Name or service not known")

    def gethostbyname_ex(host):
        ips = [_text(ip) for ip in _resolve(host, AF_INET) if _family_of(ip) == AF_INET]
        if not ips:
            raise gaierror(EAI_NONAME, "Name or service not known")
        return host, [], ips

    def gethostbyaddr(host):
        try:
            entry = _Dns.GetHostEntry(host)
        except Exception:
            raise herror(1, "Unknown host") from None
        return entry.HostName, list(entry.Aliases), [_text(ip) for ip in entry.AddressList]

    def getnameinfo(sockaddr, flags):
        if not isinstance(sockaddr, tuple) or len(sockaddr) < 2:
            raise TypeError("getnameinfo() argument 1 must be a tuple")
        host, port = sockaddr[0], sockaddr[1]
        return (gethostbyaddr(host)[0] if not flags & 1 else host), str(port)

    def getservbyname(name, proto=None):
        if name in _SERVICES:
            return _SERVICES[name]
        raise OSError("service/proto not found")

    def getservbyport(port, proto=None):
        port = _operator.index(port)
        if not 0 <= port <= 65535:
            raise OverflowError("getservbyport: port must be 0-65535.")
        for k, v in _SERVICES.items():
            if v == port:
                return k
        raise OSError("port/proto not found")

    def getprotobyname(name):
        table = {"ip": 0, "icmp": 1, "tcp": 6, "udp": 17, "ipv6": 41}
        if name in table:
            return table[name]
        raise OSError("protocol not found")

    def _u16(x, name):
        x = _operator.index(x)
        if x < 0:
            raise OverflowError(f"{name}: can't convert negative Python int to C 16-bit unsigned integer")
        if x > 0xFFFF:
            raise OverflowError(f"{name}: Python int too large to convert to C 16-bit unsigned integer")
        return x

    def _u32(x):
        x = _operator.index(x)
        if x < 0:
            raise OverflowError("can't convert negative value to unsigned int")
        if x > 0xFFFFFFFF:
            raise OverflowError("int larger than 32 bits")
        return x

    def htons(x):
        return int.from_bytes(_u16(x, "htons").to_bytes(2, "big"), "little")

    def ntohs(x):
        return int.from_bytes(_u16(x, "ntohs").to_bytes(2, "big"), "little")

    def htonl(x):
        return int.from_bytes(_u32(x).to_bytes(4, "big"), "little")

    def ntohl(x):
        return int.from_bytes(_u32(x).to_bytes(4, "big"), "little")

    def inet_aton(s):
        if not isinstance(s, str):
            raise TypeError(f"inet_aton() argument 1 must be str, not {type(s).__name__}")
        parts = s.split(".")
        try:
            if not 1 <= len(parts) <= 4 or any(p == "" for p in parts):
                raise ValueError
            nums = [int(p, 0) if not (len(p) > 1 and p[0] == "0" and p[1] not in "xX") else int(p, 8) for p in parts]
            limits = {1: [0xFFFFFFFF], 2: [0xFF, 0xFFFFFF], 3: [0xFF, 0xFF, 0xFFFF], 4: [0xFF] * 4}[len(parts)]
            if any(n < 0 or n > lim for n, lim in zip(nums, limits)):
                raise ValueError
        except ValueError:
            raise OSError("illegal IP address string passed to inet_aton") from None
        value = 0
        for n in nums[:-1]:
            value = (value << 8) | n
        value = (value << (8 * (5 - len(parts)))) | nums[-1]
        return value.to_bytes(4, "big")

    def inet_ntoa(packed):
        data = bytes(memoryview(packed))
        if len(data) != 4:
            raise OSError("packed IP wrong length for inet_ntoa")
        return ".".join(str(b) for b in data)

    def inet_pton(family, s):
        family = _operator.index(family)
        if not isinstance(s, str):
            raise TypeError(f"inet_pton() argument 2 must be str, not {type(s).__name__}")
        if family == AF_INET:
            parts = s.split(".")
            if len(parts) != 4 or not all(p.isdigit() and len(p) <= 3 and int(p) <= 255 and (p == "0" or p[0] != "0") for p in parts):
                raise OSError("illegal IP address string passed to inet_pton")
            return bytes(int(p) for p in parts)
        if family == AF_INET6:
            ip = _parse_ip(s)
            if ip is None or _family_of(ip) != AF_INET6 or "%" in s:
                raise OSError("illegal IP address string passed to inet_pton")
            return bytes(ip.GetAddressBytes())
        raise OSError(97, "Address family not supported by protocol")

    def inet_ntop(family, packed):
        family = _operator.index(family)
        data = bytes(memoryview(packed))
        if family == AF_INET:
            if len(data) != 4:
                raise ValueError("invalid length of packed IP address string")
            return ".".join(str(b) for b in data)
        if family == AF_INET6:
            if len(data) != 16:
                raise ValueError("invalid length of packed IP address string")
            return _IPAddress(_System.Array[_System.Byte](data)).ToString()
        raise ValueError(f"unknown address family {family}")

    def if_nameindex():
        return [(1, "lo")]

    def if_nametoindex(name):
        if not isinstance(name, str):
            raise TypeError("if_nametoindex(): argument 'oname' must be encoded str")
        if name == "lo":
            return 1
        raise OSError("no interface with this name")

    def if_indextoname(index):
        index = _operator.index(index)
        if index == 1:
            return "lo"
        raise OSError(6, "No such device or address")

    names = ["getaddrinfo", "gethostname", "gethostbyname", "gethostbyname_ex", "gethostbyaddr", "getnameinfo",
             "getservbyname", "getservbyport", "getprotobyname", "htons", "ntohs", "htonl", "ntohl", "inet_aton",
             "inet_ntoa", "inet_pton", "inet_ntop", "if_nameindex", "if_nametoindex", "if_indextoname"]
    local = locals()
    for n in names:
        ns[n] = local[n]
    return names
