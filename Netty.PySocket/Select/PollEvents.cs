namespace Netty.PySocket.Select;

/// <summary>
/// The <c>select</c> module's POLL* and EPOLL* constants with Linux's values (checked against CPython 3.11 on Linux).
/// </summary>
public static class PollEvents
{
    /// <summary>select.POLLIN.</summary>
    public const int POLLIN = 0x001;
    /// <summary>select.POLLPRI.</summary>
    public const int POLLPRI = 0x002;
    /// <summary>select.POLLOUT.</summary>
    public const int POLLOUT = 0x004;
    /// <summary>select.POLLERR.</summary>
    public const int POLLERR = 0x008;
    /// <summary>select.POLLHUP.</summary>
    public const int POLLHUP = 0x010;
    /// <summary>select.POLLNVAL.</summary>
    public const int POLLNVAL = 0x020;
    /// <summary>select.POLLRDNORM.</summary>
    public const int POLLRDNORM = 0x040;
    /// <summary>select.POLLRDBAND.</summary>
    public const int POLLRDBAND = 0x080;
    /// <summary>select.POLLWRNORM.</summary>
    public const int POLLWRNORM = 0x100;
    /// <summary>select.POLLWRBAND.</summary>
    public const int POLLWRBAND = 0x200;
    /// <summary>select.POLLMSG.</summary>
    public const int POLLMSG = 0x400;
    /// <summary>select.POLLRDHUP.</summary>
    public const int POLLRDHUP = 0x2000;

    /// <summary>select.EPOLLIN.</summary>
    public const uint EPOLLIN = 0x001;
    /// <summary>select.EPOLLPRI.</summary>
    public const uint EPOLLPRI = 0x002;
    /// <summary>select.EPOLLOUT.</summary>
    public const uint EPOLLOUT = 0x004;
    /// <summary>select.EPOLLERR.</summary>
    public const uint EPOLLERR = 0x008;
    /// <summary>select.EPOLLHUP.</summary>
    public const uint EPOLLHUP = 0x010;
    /// <summary>select.EPOLLRDNORM.</summary>
    public const uint EPOLLRDNORM = 0x040;
    /// <summary>select.EPOLLRDBAND.</summary>
    public const uint EPOLLRDBAND = 0x080;
    /// <summary>select.EPOLLWRNORM.</summary>
    public const uint EPOLLWRNORM = 0x100;
    /// <summary>select.EPOLLWRBAND.</summary>
    public const uint EPOLLWRBAND = 0x200;
    /// <summary>select.EPOLLMSG.</summary>
    public const uint EPOLLMSG = 0x400;
    /// <summary>select.EPOLLRDHUP.</summary>
    public const uint EPOLLRDHUP = 0x2000;
    /// <summary>select.EPOLLEXCLUSIVE.</summary>
    public const uint EPOLLEXCLUSIVE = 1u << 28;
    /// <summary>select.EPOLLWAKEUP.</summary>
    public const uint EPOLLWAKEUP = 1u << 29;
    /// <summary>select.EPOLLONESHOT.</summary>
    public const uint EPOLLONESHOT = 1u << 30;
    /// <summary>select.EPOLLET.</summary>
    public const uint EPOLLET = 1u << 31;
    /// <summary>select.EPOLL_CLOEXEC.</summary>
    public const int EPOLL_CLOEXEC = 0x80000;

    /// <summary>Linux's POLLIN_SET: what makes select() report a descriptor readable.</summary>
    internal const int SelectReadSet = POLLIN | POLLRDNORM | POLLRDBAND | POLLHUP | POLLERR;

    /// <summary>Linux's POLLOUT_SET: what makes select() report a descriptor writable.</summary>
    internal const int SelectWriteSet = POLLOUT | POLLWRNORM | POLLWRBAND | POLLERR;

    /// <summary>Linux's POLLEX_SET: what makes select() report an exceptional condition.</summary>
    internal const int SelectExceptSet = POLLPRI;
}
