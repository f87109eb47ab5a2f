namespace Netty.PySocket.Runtime;

/// <summary>
/// The doc's <c>sys.registerCloser</c>: on process exit, close every socket and stop the event loop group so
/// exit is never held up by the group or a thread blocked in recv/accept.
/// </summary>
internal static class ProcessExitCloser
{
    static int registered;

    internal static void EnsureRegistered()
    {
        if (Interlocked.Exchange(ref registered, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => PySocketRuntime.Shutdown();
        }
    }
}
