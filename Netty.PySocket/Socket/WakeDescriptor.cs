using System.Runtime.InteropServices;

namespace Netty.PySocket.Socket;

/// <summary>
/// eventfd descriptors that wake a caller blocked in poll(2) (<see cref="SocketCore"/>'s kernel wait): a close,
/// shutdown or event-loop delivery writes to the waiter's descriptor. Pooled per concurrent waiter, never per socket,
/// so a process holds as many as it ever had threads blocked in the kernel at once (at most <see cref="MaxPooled"/>;
/// beyond that callers wait on the socket's condition instead).
/// </summary>
internal static unsafe partial class WakeDescriptor
{
    const int EFD_NONBLOCK = 0x800;
    const int EFD_CLOEXEC = 0x80000;

    /// <summary>Descriptors created in all (rented or pooled).</summary>
    internal const int MaxPooled = 64;

    // A plain locked stack: renting is per blocking wait, and a concurrent stack allocates a node per push.
    static readonly object Gate = new();
    static readonly int[] Pool = new int[MaxPooled];
    static int pooled;
    static int created;

    /// <summary>A descriptor with no pending wake-up, or -1 when none can be had.</summary>
    public static int Rent()
    {
        lock (Gate)
        {
            if (pooled > 0) return Pool[--pooled];
            if (created == MaxPooled) return -1;
            int fd = EventFd(0, EFD_NONBLOCK | EFD_CLOEXEC);
            if (fd >= 0) created++;
            return fd;
        }
    }

    /// <summary>Gives a descriptor back, drained so its next renter does not wake at once.</summary>
    public static void Return(int fd)
    {
        Drain(fd);
        lock (Gate) Pool[pooled++] = fd;
    }

    public static void Wake(int fd)
    {
        ulong one = 1;
        _ = Write(fd, &one, sizeof(ulong));
    }

    public static void Drain(int fd)
    {
        ulong value;
        _ = Read(fd, &value, sizeof(ulong));
    }

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    private static partial int EventFd(uint initval, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint Read(int fd, void* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint Write(int fd, void* buffer, nuint count);
}
