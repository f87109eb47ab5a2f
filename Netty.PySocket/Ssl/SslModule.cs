using System.Globalization;
using Netty.PySocket.Errors;

namespace Netty.PySocket.Ssl;

/// <summary><c>ssl.get_default_verify_paths()</c>'s named tuple.</summary>
public sealed record DefaultVerifyPaths(string? Cafile, string? Capath, string OpensslCafileEnv, string OpensslCafile, string OpensslCapathEnv, string OpensslCapath);

/// <summary>The ssl module's functions.</summary>
public static class SslModule
{
    const string PemHeader = "-----BEGIN CERTIFICATE-----", PemFooter = "-----END CERTIFICATE-----";

    /// <summary><c>DER_cert_to_PEM_cert(der)</c>: base64 in 64-column lines between the markers.</summary>
    public static string DER_cert_to_PEM_cert(byte[] der)
    {
        string b64 = Convert.ToBase64String(der);
        var sb = new System.Text.StringBuilder(PemHeader + "\n");
        for (int i = 0; i < b64.Length; i += 64) sb.Append(b64, i, Math.Min(64, b64.Length - i)).Append('\n');
        return sb.Append(PemFooter).Append('\n').ToString();
    }

    /// <summary><c>PEM_cert_to_DER_cert(pem)</c>; ValueError when the markers are missing.</summary>
    public static byte[] PEM_cert_to_DER_cert(string pem)
    {
        if (!pem.StartsWith(PemHeader, StringComparison.Ordinal)) throw PySocketException.ValueError($"Invalid PEM encoding; must start with {PemHeader}");
        if (!pem.Trim().EndsWith(PemFooter, StringComparison.Ordinal)) throw PySocketException.ValueError($"Invalid PEM encoding; must end with {PemFooter}");
        string d = pem.Trim()[PemHeader.Length..^PemFooter.Length];
        return Convert.FromBase64String(d);
    }

    /// <summary><c>cert_time_to_seconds("Jan  5 09:34:43 2018 GMT")</c>: seconds since the epoch (UTC).</summary>
    public static long cert_time_to_seconds(string certTime)
    {
        string[] months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        string monthName = certTime.Length >= 3 ? certTime[..3] : certTime;
        int month = Array.IndexOf(months, monthName.Length == 3 ? char.ToUpperInvariant(monthName[0]) + monthName[1..].ToLowerInvariant() : monthName) + 1;
        if (month == 0) throw PySocketException.ValueError($"time data {PyRepr(certTime)} does not match format '%b %d %H:%M:%S %Y GMT'");
        string rest = certTime[3..];
        string[] formats = [" d HH:mm:ss yyyy 'GMT'", "  d HH:mm:ss yyyy 'GMT'", " dd HH:mm:ss yyyy 'GMT'", " d H:m:s yyyy 'GMT'", "  d H:m:s yyyy 'GMT'", " dd H:m:s yyyy 'GMT'"];
        if (!DateTime.TryParseExact(rest, formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTime dt))
            throw PySocketException.ValueError($"time data {PyRepr(rest)} does not match format ' %d %H:%M:%S %Y GMT'");
        var t = new DateTime(dt.Year, month, dt.Day, dt.Hour, dt.Minute, dt.Second, DateTimeKind.Utc);
        return (long)(t - DateTime.UnixEpoch).TotalSeconds;
    }

    static string PyRepr(string s) => s.Contains('\'') && !s.Contains('"') ? $"\"{s}\"" : $"'{s.Replace("'", "\\'")}'";

    /// <summary><c>get_default_verify_paths()</c>, as CPython with Debian's OpenSSL reports it (None for missing paths).</summary>
    public static DefaultVerifyPaths GetDefaultVerifyPaths()
    {
        const string opensslCafile = "/usr/lib/ssl/cert.pem", opensslCapath = "/usr/lib/ssl/certs";
        string cafile = Environment.GetEnvironmentVariable("SSL_CERT_FILE") ?? opensslCafile;
        string capath = Environment.GetEnvironmentVariable("SSL_CERT_DIR") ?? opensslCapath;
        static string? Real(string p, bool dir)
        {
            try
            {
                FileSystemInfo? info = dir ? new DirectoryInfo(p) : new FileInfo(p);
                FileSystemInfo? target = info.LinkTarget is not null ? info.ResolveLinkTarget(returnFinalTarget: true) : info;
                if (target is null || !target.Exists) return null;
                return target.FullName;
            }
            catch (IOException)
            {
                return null;
            }
        }
        return new DefaultVerifyPaths(Real(cafile, false), Real(capath, true), "SSL_CERT_FILE", opensslCafile, "SSL_CERT_DIR", opensslCapath);
    }

    /// <summary><c>_ssl._test_decode_cert(path)</c>.</summary>
    public static Dictionary<string, object> TestDecodeCert(string path) => CertDecoder.DecodeFile(path);
}
