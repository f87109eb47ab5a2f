using System.Collections.Concurrent;
using System.Net;

namespace Netty.PySocket.Socket;

/// <summary>
/// Connected loopback TCP sockets of this process by (local, remote) address, so that a direct write can find the
/// socket at the other end when it is ours too (design/select.md, "In-process peers"). The kernel hands the bytes to
/// the peer at once; our readiness comes from the peer's event loop a few hops later, so a select/poll/epoll that
/// returns for another socket in between would miss it where Linux reports it (test_epoll's test_control_and_wait
/// sends on both ends of a pair, then expects both readable in one poll).
/// </summary>
internal static class LoopbackPeers
{
    static readonly ConcurrentDictionary<(IPEndPoint Local, IPEndPoint Remote), SocketCore> Connected = new();

    public static void Add(SocketCore core, (IPEndPoint Local, IPEndPoint Remote) key) => Connected[key] = core;

    public static void Remove(SocketCore core, (IPEndPoint, IPEndPoint)? key)
    {
        if (key is { } k) Connected.TryRemove(new KeyValuePair<(IPEndPoint, IPEndPoint), SocketCore>(k, core));
    }

    /// <summary>The socket of this process whose (local, remote) is our (remote, local).</summary>
    public static SocketCore? PeerOf((IPEndPoint Local, IPEndPoint Remote) key) =>
        Connected.TryGetValue((key.Remote, key.Local), out SocketCore? peer) ? peer : null;

    /// <summary>The key of a connected loopback IP socket, or null.</summary>
    public static (IPEndPoint Local, IPEndPoint Remote)? Key(System.Net.Sockets.Socket raw)
    {
        try
        {
            if (raw.LocalEndPoint is not IPEndPoint local || raw.RemoteEndPoint is not IPEndPoint remote) return null;
            local = Normal(local);
            remote = Normal(remote);
            return IPAddress.IsLoopback(remote.Address) ? (local, remote) : null;
        }
        catch (Exception ex) when (ex is ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            return null;
        }
    }

    static IPEndPoint Normal(IPEndPoint ep) => ep.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(ep.Address.MapToIPv4(), ep.Port) : ep;
}
