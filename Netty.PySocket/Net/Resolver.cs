using System.Net;
using System.Net.Sockets;
using static Netty.PySocket.Net.SocketConstants;

namespace Netty.PySocket.Net;

/// <summary>One getaddrinfo result; the scope id travels in <see cref="IPAddress.ScopeId"/>.</summary>
internal sealed record AddrInfo(int Family, int SockType, int Protocol, string CanonName, IPAddress Address, int Port);

/// <summary>
/// glibc 2.36's getaddrinfo (sysdeps/posix/getaddrinfo.c) over the C strings CPython hands it: flag and family
/// checks, the socket-type/protocol table, service parsing with strtoul, numeric hosts, scope ids, /etc/hosts,
/// then DNS through .NET. Codes are returned as negative EAI_* values via <see cref="GaiErrors"/>.
/// </summary>
internal static class Resolver
{
    // glibc's gaih_inet_typeproto: socktype, protocol, "any protocol", "no service", listed for type 0, name.
    sealed record TypeProto(int SockType, int Protocol, bool ProtoAny, bool NoService, bool Default, string Name);

    static readonly TypeProto[] Table =
    [
        new(SOCK_STREAM, IPPROTO_TCP, false, false, true, "tcp"),
        new(SOCK_DGRAM, IPPROTO_UDP, false, false, true, "udp"),
        new(6 /* SOCK_DCCP */, 33 /* IPPROTO_DCCP */, false, false, false, "dccp"),
        new(SOCK_DGRAM, 136 /* IPPROTO_UDPLITE */, false, false, false, "udplite"),
        new(SOCK_STREAM, 132 /* IPPROTO_SCTP */, false, false, false, "sctp"),
        new(SOCK_SEQPACKET, 132, false, false, false, "sctp"),
        new(SOCK_RAW, 0, true, true, true, "raw"),
    ];

    // AI_PASSIVE..AI_NUMERICSERV including glibc's IDN bits and the two deprecated ones it still tolerates.
    const int KnownFlags = 0x7ff;

    /// <summary>getaddrinfo(name, service, hints): the results in glibc's order, or a gaierror.</summary>
    public static List<AddrInfo> GetAddrInfo(string? name, string? service, int family, int socktype, int protocol, int flags)
    {
        if (name == "*") name = null;
        if (service == "*") service = null;
        if (name is null && service is null) throw GaiErrors.Gai(EAI_NONAME);
        if ((flags & ~KnownFlags) != 0) throw GaiErrors.Gai(EAI_BADFLAGS);
        if ((flags & AI_CANONNAME) != 0 && name is null) throw GaiErrors.Gai(EAI_BADFLAGS);
        if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6) throw GaiErrors.Gai(EAI_FAMILY);

        // Service text: strtoul(…, 10) into an int, as glibc does; anything left over makes it a service name.
        long serviceNum = -1;
        if (service is not null)
        {
            serviceNum = ParseServiceNumber(service);
            if (serviceNum < 0 && (flags & AI_NUMERICSERV) != 0) throw GaiErrors.Gai(EAI_NONAME);
        }

        var tuples = ServiceTuples(service, serviceNum, socktype, protocol);
        var (addresses, canon) = ResolveHost(name, family, flags);

        var result = new List<AddrInfo>();
        foreach (var addr in addresses)
        {
            foreach (var (st, proto, port) in tuples)
            {
                int fam = addr.AddressFamily == AddressFamily.InterNetwork ? AF_INET : AF_INET6;
                result.Add(new AddrInfo(fam, st, proto, result.Count == 0 ? canon ?? "" : "", addr, port));
            }
        }
        return result;
    }

    /// <summary>glibc: num = strtoul(service, &amp;end, 10) stored in an int; -1 when not fully numeric.</summary>
    static long ParseServiceNumber(string service)
    {
        int i = 0;
        while (i < service.Length && service[i] is ' ' or '\t' or '\n' or '\v' or '\f' or '\r') i++;
        bool negative = false;
        if (i < service.Length && service[i] is '+' or '-') { negative = service[i] == '-'; i++; }
        int digitsStart = i;
        ulong val = 0;
        bool overflow = false;
        while (i < service.Length && char.IsAsciiDigit(service[i]))
        {
            ulong d = (ulong)(service[i] - '0');
            if (val > (ulong.MaxValue - d) / 10) overflow = true;
            val = unchecked(val * 10 + d);
            i++;
        }
        if (i == digitsStart) return service.Length == 0 ? 0 : -1; // strtoul("") leaves end at the NUL: 0
        if (i != service.Length) return -1;
        if (overflow) val = ulong.MaxValue;
        if (negative) val = unchecked(0 - val);
        return unchecked((int)(uint)val) is var n && n < 0 ? -1 : n;
    }

    /// <summary>gaih_inet's socket-type/protocol/port tuples, with EAI_SOCKTYPE / EAI_SERVICE as glibc.</summary>
    static List<(int SockType, int Protocol, int Port)> ServiceTuples(string? service, long num, int socktype, int protocol)
    {
        TypeProto? tp = null;
        if (socktype != 0 || protocol != 0)
        {
            tp = Table.FirstOrDefault(t => (socktype == 0 || socktype == t.SockType)
                                           && (protocol == 0 || t.ProtoAny || protocol == t.Protocol));
            if (tp is null) throw GaiErrors.Gai(socktype != 0 ? EAI_SOCKTYPE : EAI_SERVICE);
        }

        var tuples = new List<(int, int, int)>();
        int port = 0;
        if (service is not null)
        {
            if (tp is { NoService: true }) throw GaiErrors.Gai(EAI_SERVICE);
            if (num < 0)
            {
                if (tp is not null)
                {
                    var s = ServicesDb.ByName(service, tp.Name) ?? throw GaiErrors.Gai(EAI_SERVICE);
                    tuples.Add((tp.SockType, tp.ProtoAny ? protocol : tp.Protocol, s.Port));
                }
                else
                {
                    foreach (var t in Table)
                    {
                        if (t.NoService) continue;
                        if (ServicesDb.ByName(service, t.Name) is { } s) tuples.Add((t.SockType, t.Protocol, s.Port));
                    }
                    if (tuples.Count == 0) throw GaiErrors.Gai(EAI_SERVICE);
                }
                return tuples;
            }
            port = (int)(num & 0xffff);
        }
        if (tp is not null)
            tuples.Add((tp.SockType, tp.ProtoAny ? protocol : tp.Protocol, port));
        else
            foreach (var t in Table.Where(t => t.Default)) tuples.Add((t.SockType, t.Protocol, port));
        return tuples;
    }

    /// <summary>The host part of gaih_inet: addresses in result order and the canonical name (when asked for).</summary>
    static (List<IPAddress> Addresses, string? Canon) ResolveHost(string? name, int family, int flags)
    {
        bool wantCanon = (flags & AI_CANONNAME) != 0;
        if (name is null)
        {
            bool passive = (flags & AI_PASSIVE) != 0;
            var v4 = passive ? IPAddress.Any : IPAddress.Loopback;
            var v6 = passive ? IPAddress.IPv6Any : IPAddress.IPv6Loopback;
            // glibc's RFC 3484 sort puts 0.0.0.0 before :: but ::1 before 127.0.0.1 (verified on CPython here).
            return family switch
            {
                AF_INET => ([v4], null),
                AF_INET6 => ([v6], null),
                _ => (passive ? [v4, v6] : [v6, v4], null),
            };
        }

        if (InetText.Aton(name, exact: true) is { } a4)
        {
            if (family is AF_UNSPEC or AF_INET) return ([new IPAddress(a4)], wantCanon ? name : null);
            if (family == AF_INET6 && (flags & AI_V4MAPPED) != 0)
                return ([new IPAddress(a4).MapToIPv6()], wantCanon ? name : null);
            throw GaiErrors.Gai(EAI_ADDRFAMILY);
        }

        int pct = name.IndexOf('%');
        if (InetText.PtonV6(pct >= 0 ? name[..pct] : name) is { } a6)
        {
            IPAddress addr;
            if (family is AF_UNSPEC or AF_INET6) addr = new IPAddress(a6);
            else if (family == AF_INET && new IPAddress(a6).IsIPv4MappedToIPv6) addr = new IPAddress(a6[12..]);
            else throw GaiErrors.Gai(EAI_ADDRFAMILY);
            if (pct >= 0)
            {
                uint scope = ScopeId(a6, name[(pct + 1)..]) ?? throw GaiErrors.Gai(EAI_NONAME);
                if (addr.AddressFamily == AddressFamily.InterNetworkV6) addr.ScopeId = scope;
            }
            return ([addr], wantCanon ? name : null);
        }

        if ((flags & AI_NUMERICHOST) != 0) throw GaiErrors.Gai(EAI_NONAME);
        return LookupName(name, family, flags, wantCanon);
    }

    /// <summary>glibc __inet6_scopeid_pton: an interface name (link-local addresses only) or a 32-bit number.</summary>
    static uint? ScopeId(byte[] addr, string scope)
    {
        bool linkLocal = (addr[0] == 0xfe && (addr[1] & 0xc0) == 0x80) || (addr[0] == 0xff && (addr[1] & 0x0f) == 0x02);
        if (linkLocal && Interfaces.IndexOf(scope) is var idx && idx != 0) return idx;
        if (scope.Length == 0 || !scope.All(char.IsAsciiDigit)) return null;
        return ulong.TryParse(scope, out ulong v) && v <= uint.MaxValue ? (uint)v : null;
    }

    /// <summary>NSS "files dns": /etc/hosts first, then the system resolver through .NET.</summary>
    static (List<IPAddress>, string?) LookupName(string name, int family, int flags, bool wantCanon)
    {
        var hits = HostsDb.ByName(name, null);
        var v4 = hits.Where(h => h.Address.AddressFamily == AddressFamily.InterNetwork).ToList();
        var v6 = hits.Where(h => h.Address.AddressFamily == AddressFamily.InterNetworkV6).ToList();
        List<HostEntry> chosen = family switch
        {
            AF_INET => v4,
            AF_INET6 => v6.Count > 0 && (flags & AI_ALL) == 0 || (flags & AI_V4MAPPED) == 0
                ? v6
                : [.. v6, .. v4.Select(h => h with { Address = h.Address.MapToIPv6() })],
            _ => hits,
        };
        if (chosen.Count > 0)
            return (SortByPrecedence(chosen.Select(h => h.Address)), wantCanon ? chosen[0].Name : null);
        if (hits.Count > 0) throw GaiErrors.Gai(EAI_NONAME); // known name, none of the asked family

        return Dns(name, family, flags, wantCanon);
    }

    static (List<IPAddress>, string?) Dns(string name, int family, int flags, bool wantCanon)
    {
        // .NET answers "" with the local addresses and treats IP literals it parses (but glibc did not) as
        // reverse lookups; glibc sends such names to DNS, which knows none of them.
        if (name.Length == 0 || IPAddress.TryParse(name, out _)) throw GaiErrors.Gai(EAI_NONAME);
        try
        {
            var entry = System.Net.Dns.GetHostEntry(name, family == AF_INET ? AddressFamily.InterNetwork : AddressFamily.Unspecified);
            var list = entry.AddressList.ToList();
            if (family == AF_INET6)
            {
                var only6 = list.Where(a => a.AddressFamily == AddressFamily.InterNetworkV6).ToList();
                if ((flags & AI_V4MAPPED) != 0 && (only6.Count == 0 || (flags & AI_ALL) != 0))
                    only6.AddRange(list.Where(a => a.AddressFamily == AddressFamily.InterNetwork).Select(a => a.MapToIPv6()));
                list = only6;
            }
            if (list.Count == 0) throw GaiErrors.Gai(EAI_NONAME);
            return (SortByPrecedence(list), wantCanon ? entry.HostName : null);
        }
        catch (SocketException e)
        {
            throw GaiErrors.Gai(e.SocketErrorCode switch
            {
                SocketError.TryAgain => EAI_AGAIN,
                SocketError.NoRecovery => EAI_FAIL,
                SocketError.NoData => EAI_NODATA,
                _ => EAI_NONAME,
            });
        }
        catch (ArgumentException)
        {
            // .NET rejects names glibc would send to DNS and fail on (too long, malformed).
            throw GaiErrors.Gai(EAI_NONAME);
        }
    }

    /// <summary>RFC 3484 rule 6 only (stable): loopback ::1 (50) before ::/0 (40) before IPv4 (35) ...</summary>
    static List<IPAddress> SortByPrecedence(IEnumerable<IPAddress> addrs) =>
        addrs.Select((a, i) => (a, i)).OrderByDescending(x => Precedence(x.a)).ThenBy(x => x.i).Select(x => x.a).ToList();

    static int Precedence(IPAddress a)
    {
        if (a.AddressFamily == AddressFamily.InterNetwork || a.IsIPv4MappedToIPv6) return 35;
        var b = a.GetAddressBytes();
        if (a.Equals(IPAddress.IPv6Loopback)) return 50;
        if (b[0] == 0x20 && b[1] == 0x02) return 30;
        if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) return 5;
        if ((b[0] & 0xfe) == 0xfc) return 3;
        return 40;
    }
}
