using System.Runtime.InteropServices;

namespace Netty.PySocket.Socket;

/// <summary>The descriptor calls .NET has no API for: dup() (socket.dup), close() of a dup, fcntl(F_GETFD).</summary>
internal static partial class LibC
{
    [LibraryImport("libc", EntryPoint = "dup", SetLastError = true)]
    internal static partial int Dup(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int Fcntl(int fd, int cmd, int arg);

    internal const int F_GETFD = 1;

    /// <summary>Whether <paramref name="fd"/> is an open descriptor of this process.</summary>
    internal static bool IsOpen(int fd) => fd >= 0 && Fcntl(fd, F_GETFD, 0) >= 0;
}
