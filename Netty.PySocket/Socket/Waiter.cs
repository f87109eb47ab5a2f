using Netty.PySocket.Runtime;

namespace Netty.PySocket.Socket;

/// <summary>
/// The one blocking wait every call uses: Monitor.Wait on the socket's lock, in slices so the host's
/// <see cref="PySocketRuntime.BlockingWaitHook"/> (signal handlers) runs, until signalled or the deadline passes.
/// </summary>
internal static class Waiter
{
    /// <summary>
    /// Waits on <paramref name="sync"/> (held by the caller) once: returns false when the deadline has passed,
    /// true when woken or a slice ended (the caller re-checks its condition either way).
    /// </summary>
    public static bool Wait(object sync, in Deadline deadline)
    {
        if (deadline.IsNonBlocking) return false;
        int slice = (int)PySocketRuntime.BlockingWaitSlice.TotalMilliseconds;
        int ms = deadline.RemainingMilliseconds(slice);
        if (ms == 0) return false;
        bool signalled = Monitor.Wait(sync, ms);
        if (PySocketRuntime.IsShutDown && PySocketRuntime.FreezeBlockedCallersOnShutdown) Freeze(sync);
        if (!signalled)
        {
            Action? hook = PySocketRuntime.BlockingWaitHook;
            if (hook is not null)
            {
                // Run the hook without our lock: it may take the host's own locks (the GIL).
                Monitor.Exit(sync);
                try
                {
                    hook();
                }
                catch (Exception ex)
                {
                    throw new WaitInterruptedException(ex);
                }
                finally
                {
                    Monitor.Enter(sync);
                }
            }
            return !deadline.Expired;
        }
        return true;
    }

    /// <summary>Never returns: gives up the lock (however deep) and sleeps until the process ends.</summary>
    static void Freeze(object sync)
    {
        while (Monitor.IsEntered(sync)) Monitor.Exit(sync);
        Thread.Sleep(Timeout.Infinite);
    }
}