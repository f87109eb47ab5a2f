using System.Diagnostics;
using Netty.PySocket.Tests.Runtime;

namespace Netty.PySocket.Tests.Ssl;

/// <summary>The _ssl binding in the interop host: an SSLContext is freed by refcounting once its users are gone
/// (asyncio's leak checks rely on it, with no gc.collect()).</summary>
public class BindingLifetimeTests
{
    const string Script = """
        import gc, ssl, weakref
        gc.disable()  # refcounting only, as asyncio's test_create_connection_memory_leak
        assert "SslStream" in ssl.OPENSSL_VERSION
        ctx = ssl.create_default_context()
        incoming, outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        obj = ctx.wrap_bio(incoming, outgoing, server_hostname="localhost")
        for _ in range(3):
            try:
                obj.do_handshake()
            except ssl.SSLWantReadError:
                pass
        del obj
        ref = weakref.ref(ctx)
        del ctx
        print("freed" if ref() is None else "alive", flush=True)
        """;

    [Fact]
    public void ContextFreedByRefcountAfterSslErrors()
    {
        var psi = new ProcessStartInfo("dotnet", [InteropHost.Path, "run", "-c", Script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        Task<string> err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        Assert.True(p.WaitForExit(120_000), "host did not exit");
        Assert.True(p.ExitCode == 0, err.Result);
        Assert.Equal("freed", output.Trim());
    }
}
