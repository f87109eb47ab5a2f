using System.Runtime.InteropServices;

namespace Netty.PySocket.Socket;

/// <summary>The two descriptor calls .NET has no API for: dup() (socket.dup) and close() of a dup.</summary>
internal static partial class LibC
{
    [LibraryImport("libc", EntryPoint = "dup", SetLastError = true)]
    internal static partial int Dup(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);
}
