using System.Net.Security;

namespace Netty.PySocket.Ssl;

/// <summary>
/// OpenSSL cipher names and a small evaluator of OpenSSL cipher-list strings (names, aliases, "+" intersections,
/// "!"/"-" removal, "@STRENGTH"/"@SECLEVEL" ignored) over the TLS 1.2 suites OpenSSL 3 negotiates by default.
/// TLS 1.3 suites are not affected by set_ciphers (as in CPython).
/// </summary>
internal static class CipherNames
{
    sealed record Suite(string Name, TlsCipherSuite Id, string Kx, string Au, string Enc, string Mac, int Bits);

    static readonly Suite[] Tls12 =
    [
        new("ECDHE-ECDSA-AES256-GCM-SHA384", TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, "ECDHE", "ECDSA", "AESGCM AES256 AES", "SHA384", 256),
        new("ECDHE-RSA-AES256-GCM-SHA384", TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, "ECDHE", "RSA", "AESGCM AES256 AES", "SHA384", 256),
        new("DHE-RSA-AES256-GCM-SHA384", TlsCipherSuite.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384, "DHE", "RSA", "AESGCM AES256 AES", "SHA384", 256),
        new("ECDHE-ECDSA-CHACHA20-POLY1305", TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, "ECDHE", "ECDSA", "CHACHA20", "AEAD", 256),
        new("ECDHE-RSA-CHACHA20-POLY1305", TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, "ECDHE", "RSA", "CHACHA20", "AEAD", 256),
        new("DHE-RSA-CHACHA20-POLY1305", TlsCipherSuite.TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256, "DHE", "RSA", "CHACHA20", "AEAD", 256),
        new("ECDHE-ECDSA-AES128-GCM-SHA256", TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, "ECDHE", "ECDSA", "AESGCM AES128 AES", "SHA256", 128),
        new("ECDHE-RSA-AES128-GCM-SHA256", TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, "ECDHE", "RSA", "AESGCM AES128 AES", "SHA256", 128),
        new("DHE-RSA-AES128-GCM-SHA256", TlsCipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256, "DHE", "RSA", "AESGCM AES128 AES", "SHA256", 128),
        new("ECDHE-ECDSA-AES256-SHA384", TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384, "ECDHE", "ECDSA", "AES256 AES", "SHA384", 256),
        new("ECDHE-RSA-AES256-SHA384", TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384, "ECDHE", "RSA", "AES256 AES", "SHA384", 256),
        new("ECDHE-ECDSA-AES128-SHA256", TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, "ECDHE", "ECDSA", "AES128 AES", "SHA256", 128),
        new("ECDHE-RSA-AES128-SHA256", TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256, "ECDHE", "RSA", "AES128 AES", "SHA256", 128),
        new("ECDHE-ECDSA-AES256-SHA", TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA, "ECDHE", "ECDSA", "AES256 AES", "SHA1", 256),
        new("ECDHE-RSA-AES256-SHA", TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA, "ECDHE", "RSA", "AES256 AES", "SHA1", 256),
        new("ECDHE-ECDSA-AES128-SHA", TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, "ECDHE", "ECDSA", "AES128 AES", "SHA1", 128),
        new("ECDHE-RSA-AES128-SHA", TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, "ECDHE", "RSA", "AES128 AES", "SHA1", 128),
        new("AES256-GCM-SHA384", TlsCipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384, "RSA", "RSA", "AESGCM AES256 AES", "SHA384", 256),
        new("AES128-GCM-SHA256", TlsCipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256, "RSA", "RSA", "AESGCM AES128 AES", "SHA256", 128),
        new("AES256-SHA256", TlsCipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA256, "RSA", "RSA", "AES256 AES", "SHA256", 256),
        new("AES128-SHA256", TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256, "RSA", "RSA", "AES128 AES", "SHA256", 128),
        new("AES256-SHA", TlsCipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA, "RSA", "RSA", "AES256 AES", "SHA1", 256),
        new("AES128-SHA", TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA, "RSA", "RSA", "AES128 AES", "SHA1", 128),
    ];

    internal static readonly TlsCipherSuite[] Tls13Suites =
    [
        TlsCipherSuite.TLS_AES_256_GCM_SHA384, TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256, TlsCipherSuite.TLS_AES_128_GCM_SHA256,
    ];

    internal static IEnumerable<TlsCipherSuite> Default => Tls13Suites.Concat(Tls12.Select(s => s.Id));

    /// <summary>OpenSSL's name for a suite ("TLS_AES_256_GCM_SHA384", "ECDHE-RSA-AES256-GCM-SHA384").</summary>
    public static string OpenSslName(TlsCipherSuite id) => Tls12.FirstOrDefault(s => s.Id == id)?.Name ?? id.ToString();

    /// <summary>Secret bits of a suite, as SSL_CIPHER_get_bits.</summary>
    public static int Bits(TlsCipherSuite id)
    {
        string n = id.ToString();
        if (n.Contains("AES_128") || n.Contains("AES128")) return 128;
        if (n.Contains("AES_256") || n.Contains("CHACHA20") || n.Contains("AES256")) return 256;
        if (n.Contains("3DES")) return 112;
        return 0;
    }

    static bool Matches(Suite s, string alias) => alias switch
    {
        "ALL" or "DEFAULT" or "HIGH" or "COMPLEMENTOFDEFAULT" => alias != "COMPLEMENTOFDEFAULT",
        "ECDHE" or "EECDH" or "kEECDH" or "kECDHE" => s.Kx == "ECDHE",
        "DHE" or "EDH" or "kEDH" or "kDHE" => s.Kx == "DHE",
        "kRSA" => s.Kx == "RSA",
        "aRSA" => s.Au == "RSA",
        "RSA" => s.Kx == "RSA" || s.Au == "RSA",
        "ECDSA" or "aECDSA" => s.Au == "ECDSA",
        "AESGCM" or "AES128" or "AES256" or "AES" or "CHACHA20" => s.Enc.Split(' ').Contains(alias),
        "SHA1" or "SHA" => s.Mac == "SHA1",
        "SHA256" => s.Mac == "SHA256",
        "SHA384" => s.Mac == "SHA384",
        "TLSv1.2" => s.Mac != "SHA1",
        "TLSv1" or "SSLv3" => s.Mac == "SHA1",
        _ => s.Name == alias || s.Id.ToString() == alias,
    };

    /// <summary>The TLS 1.2 suites an OpenSSL cipher string selects, in its order (empty: "No cipher can be selected.").</summary>
    public static List<TlsCipherSuite> Select(string spec)
    {
        var list = new List<Suite>();
        var removed = new HashSet<Suite>();
        foreach (string raw in spec.Split([':', ',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (raw.StartsWith('@')) continue;
            char op = raw[0] is '!' or '-' or '+' ? raw[0] : ' ';
            string body = op == ' ' ? raw : raw[1..];
            string[] parts = body.Split('+');
            var hits = Tls12.Where(s => parts.All(p => Matches(s, p))).ToList();
            switch (op)
            {
                case '!':
                    foreach (Suite s in hits) removed.Add(s);
                    list.RemoveAll(hits.Contains);
                    break;
                case '-':
                    list.RemoveAll(hits.Contains);
                    break;
                case '+':
                    foreach (Suite s in hits.Where(list.Contains).ToList())
                    {
                        list.Remove(s);
                        list.Add(s);
                    }
                    break;
                default:
                    foreach (Suite s in hits)
                    {
                        if (!removed.Contains(s) && !list.Contains(s)) list.Add(s);
                    }
                    break;
            }
        }
        return list.Select(s => s.Id).ToList();
    }
}
