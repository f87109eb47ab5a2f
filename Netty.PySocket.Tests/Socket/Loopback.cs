using System.Net;
using System.Net.Sockets;
using Netty.PySocket.Socket;
using static Netty.PySocket.Net.SocketConstants;

namespace Netty.PySocket.Tests.Socket;

/// <summary>Small builders for loopback pairs used across the socket tests.</summary>
internal static class Loopback
{
    public static object[] Any4 => ["127.0.0.1", 0];

    public static int Port(SocketObject s) => (int)((object[])s.GetSockName())[1];

    public static SocketObject Listener(int family = AF_INET, int backlog = 16)
    {
        var l = new SocketObject(family);
        l.Bind(family == AF_INET6 ? new object[] { "::1", 0 } : Any4);
        l.Listen(backlog);
        return l;
    }

    /// <summary>A connected pair of our sockets: (client, server-side child).</summary>
    public static (SocketObject Client, SocketObject Server) Pair(int family = AF_INET)
    {
        using var holder = new ListenerHolder(Listener(family));
        var c = new SocketObject(family);
        c.Connect(family == AF_INET6 ? new object[] { "::1", Port(holder.L) } : new object[] { "127.0.0.1", Port(holder.L) });
        SocketObject s = holder.L.AcceptSocket(out _);
        return (c, s);
    }

    /// <summary>Our listener with a plain System.Net client connected to it.</summary>
    public static (System.Net.Sockets.Socket Peer, SocketObject Ours) WithNetClient()
    {
        using var holder = new ListenerHolder(Listener());
        var peer = new System.Net.Sockets.Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        peer.Connect(IPAddress.Loopback, Port(holder.L));
        SocketObject ours = holder.L.AcceptSocket(out _);
        return (peer, ours);
    }

    /// <summary>A plain System.Net listener with our socket connected to it.</summary>
    public static (System.Net.Sockets.Socket Peer, SocketObject Ours) WithNetServer()
    {
        using var listener = new System.Net.Sockets.Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var ours = new SocketObject();
        ours.Connect(new object[] { "127.0.0.1", ((IPEndPoint)listener.LocalEndPoint!).Port });
        return (listener.Accept(), ours);
    }

    public static byte[] ReadExactly(SocketObject s, int n)
    {
        var buf = new byte[n];
        int got = 0;
        while (got < n)
        {
            int r = s.RecvInto(buf.AsSpan(got));
            if (r == 0) throw new EndOfStreamException($"EOF after {got} of {n}");
            got += r;
        }
        return buf;
    }

    sealed class ListenerHolder(SocketObject l) : IDisposable
    {
        public SocketObject L { get; } = l;
        public void Dispose() => L.Close();
    }
}
