namespace Netty.PySocket.Select;

/// <summary>
/// Anything with a <c>fileno()</c> method, as select/poll/epoll accept it (CPython's PyObject_AsFileDescriptor).
/// <see cref="Socket.SocketObject"/> is accepted directly; a host wraps its own objects in this.
/// </summary>
public interface ISelectable
{
    /// <summary>The descriptor; a negative value raises ValueError as in CPython.</summary>
    int Fileno();
}
