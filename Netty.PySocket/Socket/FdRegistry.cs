using System.Collections.Concurrent;
using Netty.PySocket.Errors;

namespace Netty.PySocket.Socket;

/// <summary>
/// Process-wide map from file descriptor numbers to sockets, for <c>socket(fileno=fd)</c>, <c>_accept</c>,
/// <c>fromfd</c> and select. Numbers are the real OS descriptors of the sockets (or of dup()ed copies),
/// so they are small ints that never collide with other files of the process.
/// </summary>
internal static class FdRegistry
{
    static readonly ConcurrentDictionary<int, FdEntry> Entries = new();

    public static FdEntry Register(int fd, IKernelSocket core, bool primary)
    {
        var entry = new FdEntry(fd, core, primary);
        Entries[fd] = entry;
        return entry;
    }

    public static FdEntry Lookup(int fd) =>
        Entries.TryGetValue(fd, out FdEntry? e) && !e.Closed ? e : throw PySocketException.OSError(Errno.EBADF);

    public static bool TryLookup(int fd, out FdEntry? entry) => Entries.TryGetValue(fd, out entry) && !entry.Closed;

    public static void Unregister(FdEntry entry) => Entries.TryRemove(new KeyValuePair<int, FdEntry>(entry.Fd, entry));

    public static int Count => Entries.Count;

    public static IEnumerable<FdEntry> Open() => Entries.Values.Where(e => !e.Closed);
}

/// <summary>One open descriptor: the primary one of a socket or a dup() of it.</summary>
internal sealed class FdEntry
{
    public FdEntry(int fd, IKernelSocket core, bool primary)
    {
        Fd = fd;
        Core = core;
        Primary = primary;
    }

    public int Fd { get; }
    public IKernelSocket Core { get; }
    public bool Primary { get; }

    /// <summary>The Python-level timeout a socket object last gave this descriptor (<see cref="SocketObject.DescriptorTimeouts"/>).</summary>
    public double? Timeout { get; set; }
    int closed;

    public bool Closed => Volatile.Read(ref closed) != 0;

    /// <summary>Marks the descriptor closed; true for exactly one caller, so it is never closed twice.</summary>
    public bool TryClose() => Interlocked.Exchange(ref closed, 1) == 0;
}
