namespace Netty.PySocket.Socket;

/// <summary>What <c>_socket.socket._accept()</c> returns: the new descriptor and the peer's address tuple.</summary>
/// <param name="Fd">The accepted socket's descriptor; <see cref="SocketObject.FromFd(int)"/> wraps it.</param>
/// <param name="Address">The peer address: (host, port) or (host, port, flowinfo, scope_id).</param>
public sealed record AcceptedSocket(int Fd, object[] Address);
