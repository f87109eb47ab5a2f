using System.Net;

namespace Netty.PySocket.Socket;

/// <summary>Readiness of an in-process loopback peer after a direct write (see <see cref="LoopbackPeers"/>).</summary>
internal sealed partial class SocketCore
{
    (IPEndPoint Local, IPEndPoint Remote)? loopbackKey;
    SocketCore? loopbackPeer;

    /// <summary>Under <see cref="Sync"/>, once connected: lists this socket if it is a loopback IP socket.</summary>
    void ListLoopbackPeer()
    {
        if (IsUnix) return;
        loopbackKey = LoopbackPeers.Key(raw);
        if (loopbackKey is { } key) LoopbackPeers.Add(this, key);
    }

    void UnlistLoopbackPeer() => LoopbackPeers.Remove(this, loopbackKey);

    /// <summary>
    /// After a direct write: when the other end is ours and something watches it, pull the bytes the kernel just
    /// gave it into its buffer now and report its readiness, as Linux's poll would see them (no waiting for its
    /// event loop, which is busy or takes a few hops).
    /// </summary>
    void NudgeLoopbackPeer()
    {
        SocketCore? peer = loopbackPeer;
        if (peer is null)
        {
            if (loopbackKey is not { } key || (peer = LoopbackPeers.PeerOf(key)) is null) return;
            loopbackPeer = peer;
        }
        if (Volatile.Read(ref peer.watchers).Length == 0) return;
        // Not waiting for the gate: a peer loop holding it is delivering these bytes itself.
        if (peer.PullFromKernelNow(TimeSpan.Zero)) peer.NotifyReadiness();
    }
}
