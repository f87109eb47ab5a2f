namespace Netty.PySocket.Socket;

/// <summary>What <c>_socket.socket._accept()</c> returns: the new descriptor and the peer's address tuple.</summary>
/// <param name="Fd">The accepted socket's descriptor; <see cref="SocketObject.FromFd(int)"/> wraps it.</param>
/// <param name="Address">The peer address as <see cref="SocketObject.GetPeerName"/> gives it: an <c>object[]</c> tuple, or an AF_UNIX name.</param>
public sealed record AcceptedSocket(int Fd, object Address);
