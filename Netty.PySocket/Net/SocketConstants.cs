// Generated from CPython 3.11's socket module on Linux x86_64: the numeric values the binding exposes.
// Regenerate with the snippet in design/import-semantics.md if a constant is added.
namespace Netty.PySocket.Net;

/// <summary>Linux values of CPython's socket-module constants (AF_*, SOCK_*, SOL_*, SO_*, IPPROTO_*, TCP_*, MSG_*, AI_*, NI_*, EAI_*, SHUT_*, ...).</summary>
public static class SocketConstants
{
    /// <summary>socket.AF_ALG</summary>
    public const int AF_ALG = 38;
    /// <summary>socket.AF_APPLETALK</summary>
    public const int AF_APPLETALK = 5;
    /// <summary>socket.AF_ASH</summary>
    public const int AF_ASH = 18;
    /// <summary>socket.AF_ATMPVC</summary>
    public const int AF_ATMPVC = 8;
    /// <summary>socket.AF_ATMSVC</summary>
    public const int AF_ATMSVC = 20;
    /// <summary>socket.AF_AX25</summary>
    public const int AF_AX25 = 3;
    /// <summary>socket.AF_BRIDGE</summary>
    public const int AF_BRIDGE = 7;
    /// <summary>socket.AF_CAN</summary>
    public const int AF_CAN = 29;
    /// <summary>socket.AF_DECnet</summary>
    public const int AF_DECnet = 12;
    /// <summary>socket.AF_ECONET</summary>
    public const int AF_ECONET = 19;
    /// <summary>socket.AF_INET</summary>
    public const int AF_INET = 2;
    /// <summary>socket.AF_INET6</summary>
    public const int AF_INET6 = 10;
    /// <summary>socket.AF_IPX</summary>
    public const int AF_IPX = 4;
    /// <summary>socket.AF_IRDA</summary>
    public const int AF_IRDA = 23;
    /// <summary>socket.AF_KEY</summary>
    public const int AF_KEY = 15;
    /// <summary>socket.AF_LLC</summary>
    public const int AF_LLC = 26;
    /// <summary>socket.AF_NETBEUI</summary>
    public const int AF_NETBEUI = 13;
    /// <summary>socket.AF_NETLINK</summary>
    public const int AF_NETLINK = 16;
    /// <summary>socket.AF_NETROM</summary>
    public const int AF_NETROM = 6;
    /// <summary>socket.AF_PACKET</summary>
    public const int AF_PACKET = 17;
    /// <summary>socket.AF_PPPOX</summary>
    public const int AF_PPPOX = 24;
    /// <summary>socket.AF_QIPCRTR</summary>
    public const int AF_QIPCRTR = 42;
    /// <summary>socket.AF_RDS</summary>
    public const int AF_RDS = 21;
    /// <summary>socket.AF_ROSE</summary>
    public const int AF_ROSE = 11;
    /// <summary>socket.AF_ROUTE</summary>
    public const int AF_ROUTE = 16;
    /// <summary>socket.AF_SECURITY</summary>
    public const int AF_SECURITY = 14;
    /// <summary>socket.AF_SNA</summary>
    public const int AF_SNA = 22;
    /// <summary>socket.AF_TIPC</summary>
    public const int AF_TIPC = 30;
    /// <summary>socket.AF_UNIX</summary>
    public const int AF_UNIX = 1;
    /// <summary>socket.AF_UNSPEC</summary>
    public const int AF_UNSPEC = 0;
    /// <summary>socket.AF_VSOCK</summary>
    public const int AF_VSOCK = 40;
    /// <summary>socket.AF_WANPIPE</summary>
    public const int AF_WANPIPE = 25;
    /// <summary>socket.AF_X25</summary>
    public const int AF_X25 = 9;
    /// <summary>socket.AI_ADDRCONFIG</summary>
    public const int AI_ADDRCONFIG = 32;
    /// <summary>socket.AI_ALL</summary>
    public const int AI_ALL = 16;
    /// <summary>socket.AI_CANONNAME</summary>
    public const int AI_CANONNAME = 2;
    /// <summary>socket.AI_NUMERICHOST</summary>
    public const int AI_NUMERICHOST = 4;
    /// <summary>socket.AI_NUMERICSERV</summary>
    public const int AI_NUMERICSERV = 1024;
    /// <summary>socket.AI_PASSIVE</summary>
    public const int AI_PASSIVE = 1;
    /// <summary>socket.AI_V4MAPPED</summary>
    public const int AI_V4MAPPED = 8;
    /// <summary>socket.EAI_ADDRFAMILY</summary>
    public const int EAI_ADDRFAMILY = -9;
    /// <summary>socket.EAI_AGAIN</summary>
    public const int EAI_AGAIN = -3;
    /// <summary>socket.EAI_BADFLAGS</summary>
    public const int EAI_BADFLAGS = -1;
    /// <summary>socket.EAI_FAIL</summary>
    public const int EAI_FAIL = -4;
    /// <summary>socket.EAI_FAMILY</summary>
    public const int EAI_FAMILY = -6;
    /// <summary>socket.EAI_MEMORY</summary>
    public const int EAI_MEMORY = -10;
    /// <summary>socket.EAI_NODATA</summary>
    public const int EAI_NODATA = -5;
    /// <summary>socket.EAI_NONAME</summary>
    public const int EAI_NONAME = -2;
    /// <summary>socket.EAI_OVERFLOW</summary>
    public const int EAI_OVERFLOW = -12;
    /// <summary>socket.EAI_SERVICE</summary>
    public const int EAI_SERVICE = -8;
    /// <summary>socket.EAI_SOCKTYPE</summary>
    public const int EAI_SOCKTYPE = -7;
    /// <summary>socket.EAI_SYSTEM</summary>
    public const int EAI_SYSTEM = -11;
    /// <summary>socket.INADDR_ALLHOSTS_GROUP</summary>
    public const long INADDR_ALLHOSTS_GROUP = 3758096385;
    /// <summary>socket.INADDR_ANY</summary>
    public const int INADDR_ANY = 0;
    /// <summary>socket.INADDR_BROADCAST</summary>
    public const long INADDR_BROADCAST = 4294967295;
    /// <summary>socket.INADDR_LOOPBACK</summary>
    public const int INADDR_LOOPBACK = 2130706433;
    /// <summary>socket.INADDR_MAX_LOCAL_GROUP</summary>
    public const long INADDR_MAX_LOCAL_GROUP = 3758096639;
    /// <summary>socket.INADDR_NONE</summary>
    public const long INADDR_NONE = 4294967295;
    /// <summary>socket.INADDR_UNSPEC_GROUP</summary>
    public const long INADDR_UNSPEC_GROUP = 3758096384;
    /// <summary>socket.IPPORT_RESERVED</summary>
    public const int IPPORT_RESERVED = 1024;
    /// <summary>socket.IPPORT_USERRESERVED</summary>
    public const int IPPORT_USERRESERVED = 5000;
    /// <summary>socket.IPPROTO_AH</summary>
    public const int IPPROTO_AH = 51;
    /// <summary>socket.IPPROTO_DSTOPTS</summary>
    public const int IPPROTO_DSTOPTS = 60;
    /// <summary>socket.IPPROTO_EGP</summary>
    public const int IPPROTO_EGP = 8;
    /// <summary>socket.IPPROTO_ESP</summary>
    public const int IPPROTO_ESP = 50;
    /// <summary>socket.IPPROTO_FRAGMENT</summary>
    public const int IPPROTO_FRAGMENT = 44;
    /// <summary>socket.IPPROTO_GRE</summary>
    public const int IPPROTO_GRE = 47;
    /// <summary>socket.IPPROTO_HOPOPTS</summary>
    public const int IPPROTO_HOPOPTS = 0;
    /// <summary>socket.IPPROTO_ICMP</summary>
    public const int IPPROTO_ICMP = 1;
    /// <summary>socket.IPPROTO_ICMPV6</summary>
    public const int IPPROTO_ICMPV6 = 58;
    /// <summary>socket.IPPROTO_IDP</summary>
    public const int IPPROTO_IDP = 22;
    /// <summary>socket.IPPROTO_IGMP</summary>
    public const int IPPROTO_IGMP = 2;
    /// <summary>socket.IPPROTO_IP</summary>
    public const int IPPROTO_IP = 0;
    /// <summary>socket.IPPROTO_IPIP</summary>
    public const int IPPROTO_IPIP = 4;
    /// <summary>socket.IPPROTO_IPV6</summary>
    public const int IPPROTO_IPV6 = 41;
    /// <summary>socket.IPPROTO_MPTCP</summary>
    public const int IPPROTO_MPTCP = 262;
    /// <summary>socket.IPPROTO_NONE</summary>
    public const int IPPROTO_NONE = 59;
    /// <summary>socket.IPPROTO_PIM</summary>
    public const int IPPROTO_PIM = 103;
    /// <summary>socket.IPPROTO_PUP</summary>
    public const int IPPROTO_PUP = 12;
    /// <summary>socket.IPPROTO_RAW</summary>
    public const int IPPROTO_RAW = 255;
    /// <summary>socket.IPPROTO_ROUTING</summary>
    public const int IPPROTO_ROUTING = 43;
    /// <summary>socket.IPPROTO_RSVP</summary>
    public const int IPPROTO_RSVP = 46;
    /// <summary>socket.IPPROTO_SCTP</summary>
    public const int IPPROTO_SCTP = 132;
    /// <summary>socket.IPPROTO_TCP</summary>
    public const int IPPROTO_TCP = 6;
    /// <summary>socket.IPPROTO_TP</summary>
    public const int IPPROTO_TP = 29;
    /// <summary>socket.IPPROTO_UDP</summary>
    public const int IPPROTO_UDP = 17;
    /// <summary>socket.IPPROTO_UDPLITE</summary>
    public const int IPPROTO_UDPLITE = 136;
    /// <summary>socket.IPV6_CHECKSUM</summary>
    public const int IPV6_CHECKSUM = 7;
    /// <summary>socket.IPV6_DONTFRAG</summary>
    public const int IPV6_DONTFRAG = 62;
    /// <summary>socket.IPV6_DSTOPTS</summary>
    public const int IPV6_DSTOPTS = 59;
    /// <summary>socket.IPV6_HOPLIMIT</summary>
    public const int IPV6_HOPLIMIT = 52;
    /// <summary>socket.IPV6_HOPOPTS</summary>
    public const int IPV6_HOPOPTS = 54;
    /// <summary>socket.IPV6_JOIN_GROUP</summary>
    public const int IPV6_JOIN_GROUP = 20;
    /// <summary>socket.IPV6_LEAVE_GROUP</summary>
    public const int IPV6_LEAVE_GROUP = 21;
    /// <summary>socket.IPV6_MULTICAST_HOPS</summary>
    public const int IPV6_MULTICAST_HOPS = 18;
    /// <summary>socket.IPV6_MULTICAST_IF</summary>
    public const int IPV6_MULTICAST_IF = 17;
    /// <summary>socket.IPV6_MULTICAST_LOOP</summary>
    public const int IPV6_MULTICAST_LOOP = 19;
    /// <summary>socket.IPV6_NEXTHOP</summary>
    public const int IPV6_NEXTHOP = 9;
    /// <summary>socket.IPV6_PATHMTU</summary>
    public const int IPV6_PATHMTU = 61;
    /// <summary>socket.IPV6_PKTINFO</summary>
    public const int IPV6_PKTINFO = 50;
    /// <summary>socket.IPV6_RECVDSTOPTS</summary>
    public const int IPV6_RECVDSTOPTS = 58;
    /// <summary>socket.IPV6_RECVHOPLIMIT</summary>
    public const int IPV6_RECVHOPLIMIT = 51;
    /// <summary>socket.IPV6_RECVHOPOPTS</summary>
    public const int IPV6_RECVHOPOPTS = 53;
    /// <summary>socket.IPV6_RECVPATHMTU</summary>
    public const int IPV6_RECVPATHMTU = 60;
    /// <summary>socket.IPV6_RECVPKTINFO</summary>
    public const int IPV6_RECVPKTINFO = 49;
    /// <summary>socket.IPV6_RECVRTHDR</summary>
    public const int IPV6_RECVRTHDR = 56;
    /// <summary>socket.IPV6_RECVTCLASS</summary>
    public const int IPV6_RECVTCLASS = 66;
    /// <summary>socket.IPV6_RTHDR</summary>
    public const int IPV6_RTHDR = 57;
    /// <summary>socket.IPV6_RTHDRDSTOPTS</summary>
    public const int IPV6_RTHDRDSTOPTS = 55;
    /// <summary>socket.IPV6_RTHDR_TYPE_0</summary>
    public const int IPV6_RTHDR_TYPE_0 = 0;
    /// <summary>socket.IPV6_TCLASS</summary>
    public const int IPV6_TCLASS = 67;
    /// <summary>socket.IPV6_UNICAST_HOPS</summary>
    public const int IPV6_UNICAST_HOPS = 16;
    /// <summary>socket.IPV6_V6ONLY</summary>
    public const int IPV6_V6ONLY = 26;
    /// <summary>socket.IP_ADD_MEMBERSHIP</summary>
    public const int IP_ADD_MEMBERSHIP = 35;
    /// <summary>socket.IP_BIND_ADDRESS_NO_PORT</summary>
    public const int IP_BIND_ADDRESS_NO_PORT = 24;
    /// <summary>socket.IP_DEFAULT_MULTICAST_LOOP</summary>
    public const int IP_DEFAULT_MULTICAST_LOOP = 1;
    /// <summary>socket.IP_DEFAULT_MULTICAST_TTL</summary>
    public const int IP_DEFAULT_MULTICAST_TTL = 1;
    /// <summary>socket.IP_DROP_MEMBERSHIP</summary>
    public const int IP_DROP_MEMBERSHIP = 36;
    /// <summary>socket.IP_HDRINCL</summary>
    public const int IP_HDRINCL = 3;
    /// <summary>socket.IP_MAX_MEMBERSHIPS</summary>
    public const int IP_MAX_MEMBERSHIPS = 20;
    /// <summary>socket.IP_MULTICAST_IF</summary>
    public const int IP_MULTICAST_IF = 32;
    /// <summary>socket.IP_MULTICAST_LOOP</summary>
    public const int IP_MULTICAST_LOOP = 34;
    /// <summary>socket.IP_MULTICAST_TTL</summary>
    public const int IP_MULTICAST_TTL = 33;
    /// <summary>socket.IP_OPTIONS</summary>
    public const int IP_OPTIONS = 4;
    /// <summary>socket.IP_RECVOPTS</summary>
    public const int IP_RECVOPTS = 6;
    /// <summary>socket.IP_RECVRETOPTS</summary>
    public const int IP_RECVRETOPTS = 7;
    /// <summary>socket.IP_RECVTOS</summary>
    public const int IP_RECVTOS = 13;
    /// <summary>socket.IP_RETOPTS</summary>
    public const int IP_RETOPTS = 7;
    /// <summary>socket.IP_TOS</summary>
    public const int IP_TOS = 1;
    /// <summary>socket.IP_TRANSPARENT</summary>
    public const int IP_TRANSPARENT = 19;
    /// <summary>socket.IP_TTL</summary>
    public const int IP_TTL = 2;
    /// <summary>socket.MSG_CMSG_CLOEXEC</summary>
    public const int MSG_CMSG_CLOEXEC = 1073741824;
    /// <summary>socket.MSG_CONFIRM</summary>
    public const int MSG_CONFIRM = 2048;
    /// <summary>socket.MSG_CTRUNC</summary>
    public const int MSG_CTRUNC = 8;
    /// <summary>socket.MSG_DONTROUTE</summary>
    public const int MSG_DONTROUTE = 4;
    /// <summary>socket.MSG_DONTWAIT</summary>
    public const int MSG_DONTWAIT = 64;
    /// <summary>socket.MSG_EOR</summary>
    public const int MSG_EOR = 128;
    /// <summary>socket.MSG_ERRQUEUE</summary>
    public const int MSG_ERRQUEUE = 8192;
    /// <summary>socket.MSG_FASTOPEN</summary>
    public const int MSG_FASTOPEN = 536870912;
    /// <summary>socket.MSG_MORE</summary>
    public const int MSG_MORE = 32768;
    /// <summary>socket.MSG_NOSIGNAL</summary>
    public const int MSG_NOSIGNAL = 16384;
    /// <summary>socket.MSG_OOB</summary>
    public const int MSG_OOB = 1;
    /// <summary>socket.MSG_PEEK</summary>
    public const int MSG_PEEK = 2;
    /// <summary>socket.MSG_TRUNC</summary>
    public const int MSG_TRUNC = 32;
    /// <summary>socket.MSG_WAITALL</summary>
    public const int MSG_WAITALL = 256;
    /// <summary>socket.NI_DGRAM</summary>
    public const int NI_DGRAM = 16;
    /// <summary>socket.NI_MAXHOST</summary>
    public const int NI_MAXHOST = 1025;
    /// <summary>socket.NI_MAXSERV</summary>
    public const int NI_MAXSERV = 32;
    /// <summary>socket.NI_NAMEREQD</summary>
    public const int NI_NAMEREQD = 8;
    /// <summary>socket.NI_NOFQDN</summary>
    public const int NI_NOFQDN = 4;
    /// <summary>socket.NI_NUMERICHOST</summary>
    public const int NI_NUMERICHOST = 1;
    /// <summary>socket.NI_NUMERICSERV</summary>
    public const int NI_NUMERICSERV = 2;
    /// <summary>socket.SCM_CREDENTIALS</summary>
    public const int SCM_CREDENTIALS = 2;
    /// <summary>socket.SCM_J1939_DEST_ADDR</summary>
    public const int SCM_J1939_DEST_ADDR = 1;
    /// <summary>socket.SCM_J1939_DEST_NAME</summary>
    public const int SCM_J1939_DEST_NAME = 2;
    /// <summary>socket.SCM_J1939_ERRQUEUE</summary>
    public const int SCM_J1939_ERRQUEUE = 4;
    /// <summary>socket.SCM_J1939_PRIO</summary>
    public const int SCM_J1939_PRIO = 3;
    /// <summary>socket.SCM_RIGHTS</summary>
    public const int SCM_RIGHTS = 1;
    /// <summary>socket.SHUT_RD</summary>
    public const int SHUT_RD = 0;
    /// <summary>socket.SHUT_RDWR</summary>
    public const int SHUT_RDWR = 2;
    /// <summary>socket.SHUT_WR</summary>
    public const int SHUT_WR = 1;
    /// <summary>socket.SOCK_CLOEXEC</summary>
    public const int SOCK_CLOEXEC = 524288;
    /// <summary>socket.SOCK_DGRAM</summary>
    public const int SOCK_DGRAM = 2;
    /// <summary>socket.SOCK_NONBLOCK</summary>
    public const int SOCK_NONBLOCK = 2048;
    /// <summary>socket.SOCK_RAW</summary>
    public const int SOCK_RAW = 3;
    /// <summary>socket.SOCK_RDM</summary>
    public const int SOCK_RDM = 4;
    /// <summary>socket.SOCK_SEQPACKET</summary>
    public const int SOCK_SEQPACKET = 5;
    /// <summary>socket.SOCK_STREAM</summary>
    public const int SOCK_STREAM = 1;
    /// <summary>socket.SOL_ALG</summary>
    public const int SOL_ALG = 279;
    /// <summary>socket.SOL_CAN_BASE</summary>
    public const int SOL_CAN_BASE = 100;
    /// <summary>socket.SOL_CAN_RAW</summary>
    public const int SOL_CAN_RAW = 101;
    /// <summary>socket.SOL_IP</summary>
    public const int SOL_IP = 0;
    /// <summary>socket.SOL_RDS</summary>
    public const int SOL_RDS = 276;
    /// <summary>socket.SOL_SOCKET</summary>
    public const int SOL_SOCKET = 1;
    /// <summary>socket.SOL_TCP</summary>
    public const int SOL_TCP = 6;
    /// <summary>socket.SOL_TIPC</summary>
    public const int SOL_TIPC = 271;
    /// <summary>socket.SOL_UDP</summary>
    public const int SOL_UDP = 17;
    /// <summary>socket.SOMAXCONN</summary>
    public const int SOMAXCONN = 4096;
    /// <summary>socket.SO_ACCEPTCONN</summary>
    public const int SO_ACCEPTCONN = 30;
    /// <summary>socket.SO_BINDTODEVICE</summary>
    public const int SO_BINDTODEVICE = 25;
    /// <summary>socket.SO_BROADCAST</summary>
    public const int SO_BROADCAST = 6;
    /// <summary>socket.SO_DEBUG</summary>
    public const int SO_DEBUG = 1;
    /// <summary>socket.SO_DOMAIN</summary>
    public const int SO_DOMAIN = 39;
    /// <summary>socket.SO_DONTROUTE</summary>
    public const int SO_DONTROUTE = 5;
    /// <summary>socket.SO_ERROR</summary>
    public const int SO_ERROR = 4;
    /// <summary>socket.SO_INCOMING_CPU</summary>
    public const int SO_INCOMING_CPU = 49;
    /// <summary>socket.SO_J1939_ERRQUEUE</summary>
    public const int SO_J1939_ERRQUEUE = 4;
    /// <summary>socket.SO_J1939_FILTER</summary>
    public const int SO_J1939_FILTER = 1;
    /// <summary>socket.SO_J1939_PROMISC</summary>
    public const int SO_J1939_PROMISC = 2;
    /// <summary>socket.SO_J1939_SEND_PRIO</summary>
    public const int SO_J1939_SEND_PRIO = 3;
    /// <summary>socket.SO_KEEPALIVE</summary>
    public const int SO_KEEPALIVE = 9;
    /// <summary>socket.SO_LINGER</summary>
    public const int SO_LINGER = 13;
    /// <summary>socket.SO_MARK</summary>
    public const int SO_MARK = 36;
    /// <summary>socket.SO_OOBINLINE</summary>
    public const int SO_OOBINLINE = 10;
    /// <summary>socket.SO_PASSCRED</summary>
    public const int SO_PASSCRED = 16;
    /// <summary>socket.SO_PASSSEC</summary>
    public const int SO_PASSSEC = 34;
    /// <summary>socket.SO_PEERCRED</summary>
    public const int SO_PEERCRED = 17;
    /// <summary>socket.SO_PEERSEC</summary>
    public const int SO_PEERSEC = 31;
    /// <summary>socket.SO_PRIORITY</summary>
    public const int SO_PRIORITY = 12;
    /// <summary>socket.SO_PROTOCOL</summary>
    public const int SO_PROTOCOL = 38;
    /// <summary>socket.SO_RCVBUF</summary>
    public const int SO_RCVBUF = 8;
    /// <summary>socket.SO_RCVLOWAT</summary>
    public const int SO_RCVLOWAT = 18;
    /// <summary>socket.SO_RCVTIMEO</summary>
    public const int SO_RCVTIMEO = 20;
    /// <summary>socket.SO_REUSEADDR</summary>
    public const int SO_REUSEADDR = 2;
    /// <summary>socket.SO_REUSEPORT</summary>
    public const int SO_REUSEPORT = 15;
    /// <summary>socket.SO_SNDBUF</summary>
    public const int SO_SNDBUF = 7;
    /// <summary>socket.SO_SNDLOWAT</summary>
    public const int SO_SNDLOWAT = 19;
    /// <summary>socket.SO_SNDTIMEO</summary>
    public const int SO_SNDTIMEO = 21;
    /// <summary>socket.SO_TYPE</summary>
    public const int SO_TYPE = 3;
    /// <summary>socket.TCP_CONGESTION</summary>
    public const int TCP_CONGESTION = 13;
    /// <summary>socket.TCP_CORK</summary>
    public const int TCP_CORK = 3;
    /// <summary>socket.TCP_DEFER_ACCEPT</summary>
    public const int TCP_DEFER_ACCEPT = 9;
    /// <summary>socket.TCP_FASTOPEN</summary>
    public const int TCP_FASTOPEN = 23;
    /// <summary>socket.TCP_INFO</summary>
    public const int TCP_INFO = 11;
    /// <summary>socket.TCP_KEEPCNT</summary>
    public const int TCP_KEEPCNT = 6;
    /// <summary>socket.TCP_KEEPIDLE</summary>
    public const int TCP_KEEPIDLE = 4;
    /// <summary>socket.TCP_KEEPINTVL</summary>
    public const int TCP_KEEPINTVL = 5;
    /// <summary>socket.TCP_LINGER2</summary>
    public const int TCP_LINGER2 = 8;
    /// <summary>socket.TCP_MAXSEG</summary>
    public const int TCP_MAXSEG = 2;
    /// <summary>socket.TCP_NODELAY</summary>
    public const int TCP_NODELAY = 1;
    /// <summary>socket.TCP_NOTSENT_LOWAT</summary>
    public const int TCP_NOTSENT_LOWAT = 25;
    /// <summary>socket.TCP_QUICKACK</summary>
    public const int TCP_QUICKACK = 12;
    /// <summary>socket.TCP_SYNCNT</summary>
    public const int TCP_SYNCNT = 7;
    /// <summary>socket.TCP_USER_TIMEOUT</summary>
    public const int TCP_USER_TIMEOUT = 18;
    /// <summary>socket.TCP_WINDOW_CLAMP</summary>
    public const int TCP_WINDOW_CLAMP = 10;
    /// <summary>socket.UDPLITE_SEND_CSCOV</summary>
    public const int UDPLITE_SEND_CSCOV = 10;
    /// <summary>socket.UDPLITE_RECV_CSCOV</summary>
    public const int UDPLITE_RECV_CSCOV = 11;
}
