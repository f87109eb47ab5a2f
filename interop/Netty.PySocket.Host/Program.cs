using Netty.PySocket.Host;
using Netty.PySocket.Host.Conformance;

return Cli.Run(args);

static class Cli
{
    const string Usage = """
        Netty.PySocket.Host - CPython 3.11 embedded on .NET with Netty.PySocket as _socket/select

          run [--no-binding] script.py [args...]     run a script like `python3 script.py args`
          run [--no-binding] -c CODE [args...]       run code like `python3 -c CODE`
          run [--no-binding] -m MODULE [args...]     run a module like `python3 -m MODULE`
          conformance [options]                      run CPython's own tests natively and with our modules
                                                     (see `conformance --help`)
          info                                       show the interpreter and library the host would use

        Environment: NETTY_PYSOCKET_PYTHON (interpreter, default python3), NETTY_PYSOCKET_LIBPYTHON (libpython3.11.so).
        """;

    public static int Run(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.Error.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }
        try
        {
            switch (args[0])
            {
                case "run": return RunCommand(args.AsSpan(1).ToArray());
                case "conformance": return ConformanceCommand.Run(args.AsSpan(1).ToArray());
                case "info":
                    var py = PythonInstallation.Locate();
                    Console.WriteLine($"python:    {py.Executable} ({py.Version})\nlibpython: {py.LibPython}\nprefix:    {py.Prefix}\nbinding:   {EmbeddedPython.BindingDirectory}");
                    return 0;
                default:
                    Console.Error.WriteLine($"unknown command '{args[0]}'\n{Usage}");
                    return 2;
            }
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine("Netty.PySocket.Host: " + ex.Message);
            return 3;
        }
    }

    static int RunCommand(string[] args)
    {
        bool binding = true;
        int i = 0;
        if (i < args.Length && args[i] == "--no-binding") { binding = false; i++; }
        if (i >= args.Length) { Console.Error.WriteLine(Usage); return 2; }
        string kind = "script";
        string target;
        if (args[i] is "-c" or "-m")
        {
            kind = args[i] == "-c" ? "code" : "module";
            if (++i >= args.Length) { Console.Error.WriteLine($"Argument expected for the {args[i - 1]} option"); return 2; }
        }
        target = args[i];
        var rest = args.AsSpan(i + 1).ToArray();
        var py = PythonInstallation.Locate();
        try
        {
            EmbeddedPython.Start(py, binding);
        }
        catch (Python.Runtime.PythonException ex)
        {
            Console.Error.WriteLine("Netty.PySocket.Host: installing the binding failed:\n" + ex.Format());
            return 3;
        }
        int code = EmbeddedPython.Run(kind, target, rest);
        Console.Out.Flush();
        Console.Error.Flush();
        // Like Py_Exit without finalizing the embedded interpreter (threads blocked in .NET cannot be finalized).
        // Threads still blocked in the library are daemon threads now: they must never return into the interpreter
        // while the process tears it down (that aborted the process, exit code 134), so they stay where they are.
        Netty.PySocket.Python.SignalBridge.Uninstall();
        Netty.PySocket.Runtime.PySocketRuntime.FreezeBlockedCallersOnShutdown = true;
        Netty.PySocket.Runtime.PySocketRuntime.Shutdown();
        // Not Environment.Exit: its ProcessExit handlers include pythonnet's, which finalizes the interpreter after
        // all, running __del__ methods that call into the shut-down library (an unclosed asyncio loop closing its
        // selector and sockets): the library freezes such callers, so the process hung at exit. _exit ends it as
        // Py_Exit's exit() would after a finalization we do not do (everything above is flushed).
        ExitNow(code);
        return code;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "_exit")]
    static extern void ExitNow(int status);
}
