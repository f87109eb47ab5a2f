using Netty.PySocket.Runtime;
using Python.Runtime;

namespace Netty.PySocket.Python;

/// <summary>
/// PEP 475 for threads blocked inside the library: CPython runs signal handlers only on the main thread, between
/// bytecodes. A thread blocked in a .NET call never gets there, so the library calls
/// <see cref="PySocketRuntime.BlockingWaitHook"/> every <see cref="PySocketRuntime.BlockingWaitSlice"/> while it waits.
/// The hook installed here takes the GIL (briefly, never across the wait) on the Python main thread and calls a
/// trivial Python function: entering it lets the eval loop run pending signal handlers. If a handler raises (e.g.
/// test_socket's SIGALRM handler raising ZeroDivisionError), pythonnet throws that as a PythonException, which the
/// library lets out of the blocking call unchanged, and pythonnet restores the original Python exception at the
/// boundary. If handlers return normally the wait simply continues (retry on EINTR).
/// </summary>
public static class SignalBridge
{
    static PyObject? checkFunction;

    /// <summary>Installs the hook; <paramref name="check"/> is a no-op Python function (e.g. <c>lambda: None</c>).</summary>
    public static void Install(PyObject check)
    {
        checkFunction = check;
        int mainThread = global::Python.Runtime.Runtime.MainManagedThreadId;
        PySocketRuntime.BlockingWaitHook = () =>
        {
            // Only the thread that initialized Python runs signal handlers; other threads have nothing to do.
            if (Environment.CurrentManagedThreadId != mainThread) return;
            PyObject? fn = checkFunction;
            if (fn is null) return;
            using (Py.GIL())
            {
                fn.Invoke().Dispose();
            }
        };
    }

    /// <summary>Removes the hook.</summary>
    public static void Uninstall()
    {
        PySocketRuntime.BlockingWaitHook = null;
        checkFunction = null;
    }
}
