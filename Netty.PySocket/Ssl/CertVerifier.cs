using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Netty.PySocket.Ssl;

/// <summary>
/// Peer verification as OpenSSL reports it: chain to the context's CA certificates only (not the machine's
/// store unless load_default_certs added it), then validity dates, then (client, check_hostname) the name.
/// Returns OpenSSL's X509_V_ERR code and text, or null when the peer is acceptable.
/// </summary>
internal static class CertVerifier
{
    public static (int Code, string Message)? Verify(SslContext context, X509Certificate2 leaf, X509Chain? presented, string? hostname, bool checkHostname) =>
        Verify(context, leaf, presented, hostname, checkHostname, out _);

    /// <summary>As above; <paramref name="verified"/> is the chain built to a trusted root (leaf first), or null.</summary>
    public static (int Code, string Message)? Verify(SslContext context, X509Certificate2 leaf, X509Chain? presented, string? hostname, bool checkHostname, out byte[][]? verified)
    {
        verified = null;
        using var chain = new X509Chain();
        X509ChainPolicy policy = chain.ChainPolicy;
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(context.CaCertificates);
        policy.DisableCertificateDownloads = true;
        if (presented is not null)
        {
            foreach (X509ChainElement el in presented.ChainElements)
            {
                if (!el.Certificate.RawData.AsSpan().SequenceEqual(leaf.RawData)) policy.ExtraStore.Add(el.Certificate);
            }
        }
        bool ok = chain.Build(leaf);
        if (ok) verified = chain.ChainElements.Select(e => e.Certificate.RawData).ToArray();
        if (!ok)
        {
            X509ChainStatusFlags flags = X509ChainStatusFlags.NoError;
            foreach (X509ChainStatus s in chain.ChainStatus) flags |= s.Status;
            if ((flags & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain)) != 0)
            {
                bool selfSigned = leaf.SubjectName.RawData.AsSpan().SequenceEqual(leaf.IssuerName.RawData);
                if (selfSigned && chain.ChainElements.Count <= 1) return (18, "self-signed certificate");
                X509Certificate2 top = chain.ChainElements[^1].Certificate;
                if ((flags & X509ChainStatusFlags.UntrustedRoot) != 0 && top.SubjectName.RawData.AsSpan().SequenceEqual(top.IssuerName.RawData))
                    return (19, "self-signed certificate in certificate chain");
                return (20, "unable to get local issuer certificate");
            }
            if ((flags & X509ChainStatusFlags.NotTimeValid) != 0)
            {
                foreach (X509ChainElement el in chain.ChainElements)
                {
                    if (el.Certificate.NotAfter.ToUniversalTime() < DateTime.UtcNow) return (10, "certificate has expired");
                }
                return (9, "certificate is not yet valid");
            }
            if ((flags & X509ChainStatusFlags.NotSignatureValid) != 0) return (7, "certificate signature failure");
            if ((flags & X509ChainStatusFlags.NotValidForUsage) != 0) return (26, "unsupported certificate purpose");
            if ((flags & X509ChainStatusFlags.InvalidBasicConstraints) != 0) return (24, "invalid CA certificate");
            if ((flags & ~(X509ChainStatusFlags.RevocationStatusUnknown | X509ChainStatusFlags.OfflineRevocation)) != 0)
                return (1, "unspecified certificate verification error");
        }
        if (checkHostname && hostname is not null)
        {
            if (IPAddress.TryParse(hostname, out IPAddress? ip) && !hostname.Contains('%'))
            {
                if (!MatchesIp(leaf, ip)) return (64, $"IP address mismatch, certificate is not valid for '{hostname}'.");
            }
            else if (!MatchesHost(leaf, hostname, context.HostnameChecksCommonName))
            {
                return (62, $"Hostname mismatch, certificate is not valid for '{hostname}'.");
            }
        }
        return null;
    }

    static bool MatchesIp(X509Certificate2 leaf, IPAddress ip)
    {
        foreach (object[] entry in CertDecoder.SubjectAltNames(leaf.RawData) ?? [])
        {
            if ((string)entry[0] == "IP Address" && IPAddress.TryParse((string)entry[1], out IPAddress? san) && san.Equals(ip)) return true;
        }
        return false;
    }

    static bool MatchesHost(X509Certificate2 leaf, string host, bool commonName)
    {
        host = host.TrimEnd('.').ToLowerInvariant();
        bool anyDns = false;
        foreach (object[] entry in CertDecoder.SubjectAltNames(leaf.RawData) ?? [])
        {
            if ((string)entry[0] != "DNS") continue;
            anyDns = true;
            if (MatchPattern(((string)entry[1]).ToLowerInvariant(), host)) return true;
        }
        if (!anyDns && commonName)
        {
            string? cn = leaf.GetNameInfo(X509NameType.SimpleName, false);
            if (cn is not null && MatchPattern(cn.ToLowerInvariant(), host)) return true;
        }
        return false;
    }

    /// <summary>X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS (CPython's setting): "*" only as the whole left-most label.</summary>
    static bool MatchPattern(string pattern, string host)
    {
        pattern = pattern.TrimEnd('.');
        if (pattern == host) return true;
        if (!pattern.StartsWith("*.", StringComparison.Ordinal)) return false;
        string suffix = pattern[1..];
        if (suffix.Count(c => c == '.') < 2) return false;
        int dot = host.IndexOf('.');
        return dot > 0 && host[dot..] == suffix;
    }
}
