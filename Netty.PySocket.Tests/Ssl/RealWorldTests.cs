using System.Diagnostics;
using System.Security.Cryptography;
using Netty.PySocket.Tests.Runtime;
using static Netty.PySocket.Tests.Ssl.SslTestKit;

namespace Netty.PySocket.Tests.Ssl;

/// <summary>
/// Real programs over our ssl binding, in the interop host: CPython's http.server behind our SSL-wrapped socket,
/// fetched by curl and by the native python3's urllib; and our http.client fetching from openssl s_server -WWW.
/// Both sides verify certificates against the test CA and compare SHA-256 of a 3 MiB body.
/// </summary>
public class RealWorldTests
{
    const int PayloadSize = 3 * 1024 * 1024;

    static (string Dir, string Sha256) Docroot()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"pysocket-www-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        byte[] payload = RandomNumberGenerator.GetBytes(PayloadSize);
        File.WriteAllBytes(Path.Combine(dir, "payload.bin"), payload);
        return (dir, Convert.ToHexStringLower(SHA256.HashData(payload)));
    }

    static (int Exit, string Out, string Err) Exec(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        Task<string> err = p.StandardError.ReadToEndAsync();
        Task<string> output = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(120_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in 120 s");
        }
        return (p.ExitCode, output.Result, err.Result);
    }

    static string Curl()
    {
        string? found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':')
            .Select(d => Path.Combine(d, "curl")).FirstOrDefault(File.Exists);
        // CI installs curl (.ci/run); a machine without it must not pass this test silently.
        Assert.True(found is not null, "curl is not installed (Debian package 'curl'; .ci/run installs it)");
        return found!;
    }

    [Fact]
    public void HttpServerOnOurSsl_FetchedByCurlAndNativeUrllib()
    {
        string curl = Curl();
        var (root, sha) = Docroot();
        try
        {
            using var server = Peer.Start("dotnet", [InteropHost.Path, "run", Path.Combine(SourceDir(), "https_server.py"), Certs.Dir, root], "PORT");
            string url = $"https://localhost:{server.Port}/payload.bin";

            // curl: two requests on one keep-alive TLS connection (HTTP/1.1), certificate and hostname verified.
            string a = Path.Combine(root, "curl-a"), b = Path.Combine(root, "curl-b");
            var c = Exec(curl, "-sS", "--fail", "--cacert", Certs.P("ca.pem"), "--resolve", $"localhost:{server.Port}:127.0.0.1",
                "-w", "%{http_code} %{num_connects} %{ssl_verify_result}\n", "-o", a, url, "-o", b, url);
            Assert.True(c.Exit == 0, $"curl exit {c.Exit}: {c.Err}\nserver: {server.Errors}");
            Assert.Equal(["200 1 0", "200 0 0"], c.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(a))));
            Assert.Equal(sha, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(b))));

            // The native CPython's urllib (its own _ssl on OpenSSL) against our server.
            string client = $$"""
                import hashlib, ssl, urllib.request
                ctx = ssl.create_default_context(cafile={{Repr(Certs.P("ca.pem"))}})
                for _ in range(2):
                    with urllib.request.urlopen({{Repr(url)}}, context=ctx, timeout=60) as r:
                        print(r.status, hashlib.sha256(r.read()).hexdigest())
                """;
            var u = Exec("python3", "-c", client);
            Assert.True(u.Exit == 0, $"urllib exit {u.Exit}: {u.Err}\nserver: {server.Errors}");
            Assert.Equal([$"200 {sha}", $"200 {sha}"], u.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));

            server.Input.Close();
            Assert.Equal("DONE", server.ReadLine());
            Assert.True(server.WaitExit(60_000), "the host did not exit after the server shut down");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void OpenSslServer_FetchedByOurHttpClient()
    {
        var (root, sha) = Docroot();
        try
        {
            using var openssl = Peer.Start("bash", ["-c",
                $"cd {Repr(root)} && exec openssl s_server -accept 127.0.0.1:0 -naccept 1 -WWW -cert {Repr(Certs.P("server.pem"))} -key {Repr(Certs.P("server.key"))}"]);
            string? accept = openssl.ReadLine();
            while (accept is not null && !accept.StartsWith("ACCEPT", StringComparison.Ordinal)) accept = openssl.ReadLine();
            Assert.True(accept is not null, "openssl s_server did not start: " + openssl.Errors);
            string port = accept![(accept.LastIndexOf(':') + 1)..];

            var r = Exec("dotnet", InteropHost.Path, "run", Path.Combine(SourceDir(), "https_fetch.py"), port, Certs.P("ca.pem"), "/payload.bin");
            Assert.True(r.Exit == 0, $"host exit {r.Exit}: {r.Err}\nopenssl: {openssl.Errors}");
            Assert.Equal($"200 {PayloadSize} {sha} TLSv1.3", r.Out.Trim());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
