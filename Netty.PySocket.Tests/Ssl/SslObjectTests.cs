using System.Text;
using Netty.PySocket.Errors;
using Netty.PySocket.Ssl;
using static Netty.PySocket.Tests.Ssl.SslTestKit;

namespace Netty.PySocket.Tests.Ssl;

/// <summary>_wrap_bio: our client and server SslObjects talking through MemoryBios only (no sockets).</summary>
public class SslObjectTests
{
    static bool Step(Action a)
    {
        try
        {
            a();
            return true;
        }
        catch (PySocketException e) when (e.Kind == PyErrorKind.SSLWantReadError)
        {
            return false;
        }
    }

    [Fact]
    public void PeerChainsAreWhatThePeerSentAndWhatVerificationBuilt()
    {
        MemoryBio cIn = new(), cOut = new(), sIn = new(), sOut = new();
        SslObject client = ClientContext().WrapBio(cIn, cOut, serverSide: false, serverHostname: "localhost");
        SslObject server = ServerContext().WrapBio(sIn, sOut, serverSide: true);
        Assert.Null(client.GetVerifiedChain());
        Assert.Null(client.GetUnverifiedChain());
        Step(client.DoHandshake);
        bool clientDone = false, serverDone = false;
        for (int i = 0; i < 10 && !(clientDone && serverDone); i++)
        {
            sIn.Write(cOut.Read());
            serverDone = Step(server.DoHandshake);
            cIn.Write(sOut.Read());
            clientDone = Step(client.DoHandshake);
        }
        Assert.True(clientDone && serverDone);

        byte[] leaf = (byte[])client.GetPeerCert(binaryForm: true)!;
        object[] sent = client.GetUnverifiedChain()!;
        Assert.Equal(leaf, (byte[])Assert.Single(sent));
        object[] verified = client.GetVerifiedChain()!;
        Assert.Equal(2, verified.Length); // leaf, then the CA the client trusts
        Assert.Equal(leaf, (byte[])verified[0]);
        Assert.NotEqual(leaf, (byte[])verified[1]);
        Assert.Null(server.GetUnverifiedChain()); // CERT_NONE server: no client certificate asked for
    }

    [Fact]
    public void HandshakeDataAndUnwrapOverMemoryBios()
    {
        MemoryBio cIn = new(), cOut = new(), sIn = new(), sOut = new();
        SslObject client = ClientContext().WrapBio(cIn, cOut, serverSide: false, serverHostname: "localhost");
        SslObject server = ServerContext().WrapBio(sIn, sOut, serverSide: true);

        var e = Assert.Throws<PySocketException>(() => client.DoHandshake());
        Assert.Equal(PyErrorKind.SSLWantReadError, e.Kind);
        Assert.True(cOut.Pending > 0); // the ClientHello
        bool clientDone = false, serverDone = false;
        for (int i = 0; i < 10 && !(clientDone && serverDone); i++)
        {
            sIn.Write(cOut.Read());
            serverDone = Step(server.DoHandshake);
            cIn.Write(sOut.Read());
            clientDone = Step(client.DoHandshake);
        }
        Assert.True(clientDone && serverDone);
        Assert.Contains("subject", Assert.IsType<Dictionary<string, object>>(client.GetPeerCert()));
        Assert.Equal("TLSv1.3", client.Version());

        client.Write("ping"u8);
        sIn.Write(cOut.Read());
        Assert.Equal("ping", Encoding.ASCII.GetString(server.Read(100)));
        Assert.Equal(PyErrorKind.SSLWantReadError, Assert.Throws<PySocketException>(() => server.Read(100)).Kind);

        // unwrap: close_notify out, SSLWantReadError until the peer's arrives; the peer reads b"" then unwraps too.
        Assert.Equal(PyErrorKind.SSLWantReadError, Assert.Throws<PySocketException>(server.Shutdown).Kind);
        cIn.Write(sOut.Read());
        Assert.Empty(client.Read(100));
        client.Shutdown();
        sIn.Write(cOut.Read());
        server.Shutdown();
        Assert.Equal(PyErrorKind.SSLZeroReturnError, Assert.Throws<PySocketException>(() => server.Read(10)).Kind);
    }

    [Fact]
    public void EofWithoutCloseNotifyIsSslEofError()
    {
        MemoryBio cIn = new(), cOut = new(), sIn = new(), sOut = new();
        SslObject client = ClientContext().WrapBio(cIn, cOut, serverSide: false, serverHostname: "localhost");
        SslObject server = ServerContext().WrapBio(sIn, sOut, serverSide: true);
        for (int i = 0; i < 10; i++)
        {
            sIn.Write(cOut.Read());
            bool s = Step(server.DoHandshake);
            cIn.Write(sOut.Read());
            if (Step(client.DoHandshake) && s) break;
        }
        cIn.WriteEof();
        Assert.Equal(PyErrorKind.SSLEOFError, Assert.Throws<PySocketException>(() => client.Read(10)).Kind);
    }

    /// <summary>Plain bytes after TLS records (asyncio's test_start_tls_client_corrupted_ssl): OpenSSL's error.</summary>
    [Fact]
    public void CorruptedRecordAfterDataIsWrongVersionNumber()
    {
        MemoryBio cIn = new(), cOut = new(), sIn = new(), sOut = new();
        SslObject client = ClientContext().WrapBio(cIn, cOut, serverSide: false, serverHostname: "localhost");
        SslObject server = ServerContext().WrapBio(sIn, sOut, serverSide: true);
        for (int i = 0; i < 10; i++)
        {
            sIn.Write(cOut.Read());
            bool s = Step(server.DoHandshake);
            cIn.Write(sOut.Read());
            if (Step(client.DoHandshake) && s) break;
        }
        server.Write("A\n"u8);
        cIn.Write(sOut.Read());
        Assert.Equal("A\n", Encoding.ASCII.GetString(client.Read(100)));
        cIn.Write("please corrupt the SSL connection"u8);
        var e = Assert.Throws<PySocketException>(() => client.Read(100));
        Assert.Equal((PyErrorKind.SSLError, 1, "[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:2580)"), (e.Kind, e.Errno!.Value, e.Message));
    }
}
