using Python.Runtime;

namespace Netty.PySocket.Host;

/// <summary>
/// Starts CPython inside this process (pythonnet), installs the Netty.PySocket binding modules under the names
/// <c>_socket</c> and <c>select</c> before anything imports <c>socket</c>, and runs scripts the way
/// <c>python3 script.py args</c> does. Python runs on the process main thread, so its signal handlers work.
/// </summary>
public static class EmbeddedPython
{
    /// <summary>Directory holding the <c>netty_pysocket</c> binding package (override: NETTY_PYSOCKET_BINDING_PATH).</summary>
    public static string BindingDirectory =>
        Environment.GetEnvironmentVariable("NETTY_PYSOCKET_BINDING_PATH") is { Length: > 0 } p
            ? p
            : Path.Combine(AppContext.BaseDirectory, "python");

    /// <summary>Directory holding the harness scripts copied next to the host.</summary>
    public static string HarnessDirectory => Path.Combine(AppContext.BaseDirectory, "harness");

    /// <summary>Initializes CPython (once) and installs the binding. Leaves the GIL released.</summary>
    public static void Start(PythonInstallation python, bool installBinding = true)
    {
        global::Python.Runtime.Runtime.PythonDLL = python.LibPython;
        // The program name decides sys.prefix / the stdlib location (getpath): use the real interpreter's.
        PythonEngine.ProgramName = python.Executable;
        PythonEngine.PythonHome = python.Prefix;
        PythonEngine.Initialize(setSysArgv: false, initSigs: false);
        PythonEngine.BeginAllowThreads();

        using (Py.GIL())
        {
            using var scope = Py.CreateScope();
            scope.Set("_exe", python.Executable);
            scope.Set("_binding_dir", BindingDirectory);
            scope.Set("_install", installBinding);
            scope.Exec("""
                import sys
                sys.executable = _exe
                sys._base_executable = _exe
                if _binding_dir not in sys.path:
                    sys.path.insert(0, _binding_dir)
                if _install:
                    import netty_pysocket
                    netty_pysocket.install()
                """);
        }
    }

    /// <summary>
    /// Runs a script (<paramref name="kind"/> "script"), <c>-c</c> code ("code") or <c>-m</c> module ("module") as
    /// <c>__main__</c> the way <c>python3</c> does; returns the process exit code.
    /// </summary>
    public static int Run(string kind, string target, IReadOnlyList<string> args)
    {
        string function = kind switch { "script" => "run_script", "code" => "run_code", "module" => "run_module", _ => throw new ArgumentException(kind) };
        using (Py.GIL())
        {
            using var host = Py.Import("netty_pysocket._host");
            using var argv = new PyList();
            foreach (var a in args)
            {
                using var s = new PyString(a);
                argv.Append(s);
            }
            using var t = new PyString(target);
            using var result = host.InvokeMethod(function, t, argv);
            return result.As<int>();
        }
    }
}
