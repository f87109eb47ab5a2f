using System.Numerics;
using Netty.PySocket.Errors;
using Netty.PySocket.Socket;
using static Netty.PySocket.Select.PollEvents;

namespace Netty.PySocket.Select;

/// <summary>
/// <c>select.poll()</c>'s object. Level-triggered like poll(2): each call reports every registered descriptor that is
/// ready, one (fd, revents) pair per descriptor, in registration order. POLLERR, POLLHUP and POLLNVAL are always
/// reported; a closed (or never opened) descriptor reports POLLNVAL. Registered sockets keep a watcher installed,
/// so a call costs O(ready), not O(registered).
/// </summary>
public sealed class PollObject
{
    const int DefaultMask = POLLIN | POLLPRI | POLLOUT;
    readonly ReadinessSet set = new(ReadinessSet.Mode.Poll, new KernelPoll());
    int polling; // 1 while a thread is inside Poll


    /// <summary>Registered descriptors.</summary>
    public int Count => set.Count;

    /// <summary>A thread is inside <see cref="Poll"/> (tests).</summary>
    internal bool Polling => Volatile.Read(ref polling) != 0;

    /// <summary>
    /// <c>register(fd[, eventmask])</c>; registering again changes the mask. Any descriptor number is accepted: our
    /// sockets are watched, anything else (pipes, files, closed numbers: POLLNVAL) is asked of poll(2) on each call.
    /// </summary>
    public void Register(object? fd, object? eventmask = null)
    {
        int n = SelectArgs.AsFileDescriptor(fd);
        ushort mask = eventmask is null ? (ushort)DefaultMask : ToUnsignedShort(eventmask);
        FdRegistry.TryLookup(n, out FdEntry? entry);
        set.Set(n, entry, mask);
    }

    /// <summary><c>modify(fd, eventmask)</c>: FileNotFoundError (ENOENT) when <paramref name="fd"/> is not registered.</summary>
    public void Modify(object? fd, object? eventmask)
    {
        int n = SelectArgs.AsFileDescriptor(fd);
        ushort mask = ToUnsignedShort(eventmask);
        if (set.Find(n) is null) throw PySocketException.OSError(Errno.ENOENT);
        FdRegistry.TryLookup(n, out FdEntry? entry);
        set.Set(n, entry, mask);
    }

    /// <summary><c>unregister(fd)</c>: KeyError(fd) when it is not registered.</summary>
    public void Unregister(object? fd)
    {
        int n = SelectArgs.AsFileDescriptor(fd);
        if (!set.Remove(n)) throw PySocketException.KeyError(n.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// <c>poll([timeout])</c>: timeout in milliseconds (int or float, rounded up); None or negative waits forever,
    /// 0 returns at once. OverflowError "timeout is too large" beyond a C int of milliseconds. RuntimeError
    /// "concurrent poll() invocation" while another thread is in this object's poll (CPython's guard; register,
    /// modify and unregister stay allowed meanwhile, as there).
    /// </summary>
    public List<(int Fd, int Events)> Poll(object? timeout = null)
    {
        Deadline deadline = Deadline.Never;
        if (timeout is not null)
        {
            long ns = SelectArgs.ToNanoseconds(timeout, 1_000_000, SelectArgs.Round.Timeout, "timeout must be an integer or None");
            long ms = SelectArgs.NanosecondsToMilliseconds(ns, SelectArgs.Round.Timeout);
            if (ms < int.MinValue || ms > int.MaxValue) throw PySocketException.Overflow("timeout is too large");
            if (ns >= 0) deadline = SelectArgs.DeadlineFromNanoseconds(ns);
        }
        if (Interlocked.Exchange(ref polling, 1) != 0) throw PySocketException.RuntimeError("concurrent poll() invocation");
        try
        {
            return set.Poll(deadline, int.MaxValue);
        }
        catch (Exception ex) when (ex is not PySocketException)
        {
            throw SelectArgs.Boundary(ex);
        }
        finally
        {
            Volatile.Write(ref polling, 0);
        }
    }

    /// <summary>Argument Clinic's unsigned short converter, as poll.register/modify use it in 3.11.</summary>
    static ushort ToUnsignedShort(object? value)
    {
        BigInteger v = value switch
        {
            int i => i,
            long l => l,
            short s => s,
            ushort u => u,
            byte b => b,
            sbyte b => b,
            uint u => u,
            ulong u => u,
            bool b => b ? 1 : 0,
            BigInteger big => big,
            _ => throw PySocketException.TypeError($"'{Net.SockAddr.PyTypeName(value)}' object cannot be interpreted as an integer"),
        };
        if (v < 0) throw PySocketException.ValueError("value must be positive");
        if (v > ushort.MaxValue) throw PySocketException.Overflow("Python int too large for C unsigned short");
        return (ushort)v;
    }
}
