using System.Net;
using System.Text;

namespace Netty.PySocket.Net;

/// <summary>
/// glibc's textual address parsers and printers (inet_pton, inet_aton, inet_ntop), reimplemented because .NET's
/// IPAddress.Parse accepts and prints forms glibc does not (e.g. "127.1" in Parse, "%scope" everywhere).
/// </summary>
internal static class InetText
{
    /// <summary>inet_pton(AF_INET): exactly four decimal octets, no leading zeros.</summary>
    public static byte[]? PtonV4(string s)
    {
        var result = new byte[4];
        int octets = 0, i = 0;
        while (true)
        {
            if (i >= s.Length || !char.IsAsciiDigit(s[i])) return null;
            int start = i, val = 0;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                if (i > start && s[start] == '0') return null;
                val = val * 10 + (s[i] - '0');
                if (val > 255) return null;
                i++;
            }
            result[octets++] = (byte)val;
            if (i == s.Length) return octets == 4 ? result : null;
            if (s[i] != '.' || octets == 4) return null;
            i++;
        }
    }

    /// <summary>inet_pton(AF_INET6), glibc rules: one "::", groups of at most 4 hex digits, optional dotted tail.</summary>
    public static byte[]? PtonV6(string s)
    {
        var result = new byte[16];
        int tp = 0, colonp = -1, i = 0;
        if (s.Length == 0) return null;
        if (s[0] == ':' && (s.Length < 2 || s[1] != ':')) return null;
        if (s[0] == ':') i = 1;
        int curtok = i, digits = 0, val = 0;
        bool sawXdigit = false;
        while (i < s.Length)
        {
            char c = s[i++];
            int hex = HexValue(c);
            if (hex >= 0)
            {
                if (++digits > 4) return null;
                val = (val << 4) | hex;
                sawXdigit = true;
                continue;
            }
            if (c == ':')
            {
                curtok = i;
                if (!sawXdigit)
                {
                    if (colonp >= 0) return null;
                    colonp = tp;
                    continue;
                }
                if (i == s.Length) return null;
                if (tp + 2 > 16) return null;
                result[tp++] = (byte)(val >> 8);
                result[tp++] = (byte)val;
                sawXdigit = false; digits = 0; val = 0;
                continue;
            }
            if (c == '.' && tp + 4 <= 16)
            {
                var v4 = PtonV4(s[curtok..]);
                if (v4 is null) return null;
                v4.CopyTo(result, tp);
                tp += 4;
                sawXdigit = false;
                break;
            }
            return null;
        }
        if (sawXdigit)
        {
            if (tp + 2 > 16) return null;
            result[tp++] = (byte)(val >> 8);
            result[tp++] = (byte)val;
        }
        if (colonp >= 0)
        {
            if (tp == 16) return null;
            int n = tp - colonp;
            for (int k = 1; k <= n; k++)
            {
                result[16 - k] = result[colonp + n - k];
                result[colonp + n - k] = 0;
            }
            tp = 16;
        }
        return tp == 16 ? result : null;
    }

    static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>
    /// glibc inet_aton: 1-4 parts in C notation (0x hex, 0 octal, decimal), the last filling the remaining bytes.
    /// Trailing whitespace and anything after it are ignored unless <paramref name="exact"/> (inet_aton_exact).
    /// </summary>
    public static byte[]? Aton(string s, bool exact = false)
    {
        var parts = new List<ulong>(4);
        int i = 0;
        ulong val;
        while (true)
        {
            if (i >= s.Length || !char.IsAsciiDigit(s[i])) return null;
            if (!StrToUl(s, ref i, out val)) return null;
            if (i < s.Length && s[i] == '.')
            {
                if (parts.Count > 2 || val > 0xff) return null;
                parts.Add(val);
                i++;
                continue;
            }
            break;
        }
        if (i < s.Length)
        {
            if (exact) return null;
            char c = s[i];
            if (c > 127 || !IsCSpace(c)) return null;
        }
        ulong max = parts.Count switch { 0 => 0xffffffff, 1 => 0xffffff, 2 => 0xffff, _ => 0xff };
        if (val > max) return null;
        ulong addr = val;
        for (int k = 0; k < parts.Count; k++) addr |= parts[k] << (24 - 8 * k);
        return [(byte)(addr >> 24), (byte)(addr >> 16), (byte)(addr >> 8), (byte)addr];
    }

    static bool IsCSpace(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';

    /// <summary>strtoul(s, &amp;end, 0) from a digit: false on ERANGE.</summary>
    static bool StrToUl(string s, ref int i, out ulong val)
    {
        int radix = 10;
        if (s[i] == '0')
        {
            if (i + 1 < s.Length && (s[i + 1] == 'x' || s[i + 1] == 'X')
                && i + 2 < s.Length && HexValue(s[i + 2]) >= 0)
            {
                radix = 16;
                i += 2;
            }
            else
            {
                radix = 8;
            }
        }
        val = 0;
        bool overflow = false;
        while (i < s.Length)
        {
            int d = HexValue(s[i]);
            if (d < 0 || d >= radix) break;
            ulong next = unchecked(val * (ulong)radix + (ulong)d);
            if (val > (ulong.MaxValue - (ulong)d) / (ulong)radix) overflow = true;
            val = next;
            i++;
        }
        return !overflow;
    }

    /// <summary>inet_ntop(AF_INET).</summary>
    public static string NtopV4(ReadOnlySpan<byte> b) => $"{b[0]}.{b[1]}.{b[2]}.{b[3]}";

    /// <summary>glibc inet_ntop(AF_INET6): longest zero run (at least two words, first on a tie) becomes "::".</summary>
    public static string NtopV6(ReadOnlySpan<byte> b)
    {
        Span<int> words = stackalloc int[8];
        for (int k = 0; k < 8; k++) words[k] = (b[2 * k] << 8) | b[2 * k + 1];
        int bestBase = -1, bestLen = 0, curBase = -1, curLen = 0;
        for (int k = 0; k < 8; k++)
        {
            if (words[k] == 0)
            {
                if (curBase < 0) { curBase = k; curLen = 1; } else curLen++;
            }
            else if (curBase >= 0)
            {
                if (bestBase < 0 || curLen > bestLen) { bestBase = curBase; bestLen = curLen; }
                curBase = -1;
            }
        }
        if (curBase >= 0 && (bestBase < 0 || curLen > bestLen)) { bestBase = curBase; bestLen = curLen; }
        if (bestBase >= 0 && bestLen < 2) bestBase = -1;

        var sb = new StringBuilder();
        for (int k = 0; k < 8; k++)
        {
            if (bestBase >= 0 && k >= bestBase && k < bestBase + bestLen)
            {
                if (k == bestBase) sb.Append(':');
                continue;
            }
            if (k != 0) sb.Append(':');
            // glibc prints an embedded IPv4 only for ::a.b.c.d and ::ffff:a.b.c.d.
            if (k == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && words[5] == 0xffff)))
            {
                sb.Append(NtopV4(b[12..]));
                break;
            }
            sb.Append(words[k].ToString("x"));
        }
        if (bestBase >= 0 && bestBase + bestLen == 8) sb.Append(':');
        return sb.ToString();
    }

    /// <summary>The numeric host text for an address, without any scope (CPython's makeipaddr).</summary>
    public static string Ntop(IPAddress a)
    {
        var bytes = a.GetAddressBytes();
        return bytes.Length == 4 ? NtopV4(bytes) : NtopV6(bytes);
    }
}
