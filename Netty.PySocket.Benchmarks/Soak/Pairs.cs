using Netty.PySocket.Socket;
using Netty.PySocket.Ssl;

namespace Netty.PySocket.Benchmarks.Soak;

/// <summary>Connected pairs made through the public API: blocking connect, then accept (and handshakes for TLS).</summary>
public static class Pairs
{
    public static SocketObject Listener(int backlog = 1024)
    {
        var l = new SocketObject();
        l.Bind(new object[] { "127.0.0.1", 0 });
        l.Listen(backlog);
        return l;
    }

    public static (SocketObject Client, SocketObject Server) Plain(SocketObject listener)
    {
        var c = new SocketObject();
        c.Connect(listener.GetSockName());
        var a = listener.AcceptSocket(out _);
        return (c, a);
    }

    public static (SslSocket Client, SslSocket Server) Tls(SocketObject listener, SslContext server, SslContext client)
    {
        var (c, a) = Plain(listener);
        var st = Task.Run(() => server.WrapSocket(a, serverSide: true));
        SslSocket cs;
        try
        {
            cs = client.WrapSocket(c, serverHostname: "localhost");
        }
        catch
        {
            a.Close();
            c.Close();
            throw;
        }
        return (cs, st.GetAwaiter().GetResult());
    }
}
