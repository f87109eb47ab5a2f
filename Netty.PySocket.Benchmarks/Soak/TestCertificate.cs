using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Netty.PySocket.Ssl;

namespace Netty.PySocket.Benchmarks.Soak;

/// <summary>A self-signed RSA 2048 certificate for localhost, made at run time, as PEM files for SslContext.</summary>
public sealed class TestCertificate : IDisposable
{
    readonly string dir;

    public TestCertificate()
    {
        dir = Path.Combine(Path.GetTempPath(), $"npys-soak-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        using var rsa = RSA.Create(2048);
        var req = new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        req.CertificateExtensions.Add(san.Build());
        using var cert = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        CertFile = Path.Combine(dir, "cert.pem");
        KeyFile = Path.Combine(dir, "key.pem");
        File.WriteAllText(CertFile, cert.ExportCertificatePem());
        File.WriteAllText(KeyFile, rsa.ExportPkcs8PrivateKeyPem());
        Pkcs12 = cert.Export(X509ContentType.Pkcs12);
    }

    public string CertFile { get; }
    public string KeyFile { get; }
    public byte[] Pkcs12 { get; }

    public SslContext ServerContext()
    {
        var s = new SslContext(SslConstants.PROTOCOL_TLS_SERVER);
        s.LoadCertChain(CertFile, KeyFile);
        return s;
    }

    public static SslContext ClientContext()
    {
        var c = new SslContext(SslConstants.PROTOCOL_TLS_CLIENT) { CheckHostname = false };
        c.VerifyMode = SslConstants.CERT_NONE;
        return c;
    }

    public void Dispose()
    {
        try { Directory.Delete(dir, true); } catch (IOException) { }
    }
}
