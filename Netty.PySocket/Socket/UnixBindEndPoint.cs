using System.Net;
using System.Net.Sockets;
using Netty.PySocket.Net;

namespace Netty.PySocket.Socket;

/// <summary>
/// The endpoint an AF_UNIX socket is bound with through System.Net: exactly CPython's sockaddr_un bytes for the
/// bind(2) itself, then (<see cref="Widen"/>) the full sockaddr_un size. System.Net keeps the bound endpoint and
/// sizes the address buffer of every later accept by it, copying the peer's address in: sized by our own name,
/// a peer bound to a longer name would crash the socket engine's thread ("Destination is too short").
/// (<see cref="UnixDomainSocketEndPoint"/> is not used: it re-encodes paths and its Dispose deletes the socket
/// file, which close(2) does not.)
/// </summary>
internal sealed class UnixBindEndPoint : EndPoint
{
    readonly byte[] sockaddr;
    bool wide;

    public UnixBindEndPoint(byte[] sockaddr, bool wide = false)
    {
        this.sockaddr = sockaddr;
        this.wide = wide;
    }

    public override AddressFamily AddressFamily => AddressFamily.Unix;

    /// <summary>From now on serialize at the full sockaddr_un size (after bind(2) used the exact length).</summary>
    public void Widen() => wide = true;

    public override SocketAddress Serialize()
    {
        var sa = new SocketAddress(AddressFamily.Unix, wide ? UnixAddress.Size : sockaddr.Length);
        sockaddr.AsSpan(UnixAddress.PathOffset).CopyTo(sa.Buffer.Span[UnixAddress.PathOffset..]);
        return sa;
    }

    public override EndPoint Create(SocketAddress socketAddress) =>
        new UnixBindEndPoint(socketAddress.Buffer.Span[..socketAddress.Size].ToArray(), wide: true);
}
