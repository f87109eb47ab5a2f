using System.Diagnostics;
using System.Text.Json;

namespace Netty.PySocket.Host;

/// <summary>
/// The CPython 3.11 the host embeds: the real interpreter (for sys.executable, for the native configuration and for
/// subprocesses the tests spawn) and the libpython3.11.so that matches its stdlib and <c>test</c> package.
/// </summary>
public sealed record PythonInstallation(string Executable, string Prefix, string ExecPrefix, string LibPython, string Version)
{
    /// <summary>Environment variable overriding the interpreter (default: <c>python3</c> on PATH).</summary>
    public const string PythonEnv = "NETTY_PYSOCKET_PYTHON";

    /// <summary>Environment variable overriding the shared library.</summary>
    public const string LibPythonEnv = "NETTY_PYSOCKET_LIBPYTHON";

    static PythonInstallation? cached;

    /// <summary>Asks the interpreter where it lives (one short subprocess) and picks the matching libpython.</summary>
    public static PythonInstallation Locate()
    {
        if (cached is not null) return cached;
        string python = Environment.GetEnvironmentVariable(PythonEnv) is { Length: > 0 } p ? p : "python3";
        const string probe =
            "import sys, sysconfig, json; print(json.dumps({'exe': sys.executable, 'prefix': sys.prefix, " +
            "'exec_prefix': sys.exec_prefix, 'libdir': sysconfig.get_config_var('LIBDIR') or '', " +
            "'ldlibrary': sysconfig.get_config_var('LDLIBRARY') or '', 'instsoname': sysconfig.get_config_var('INSTSONAME') or '', " +
            "'multiarch': sysconfig.get_config_var('MULTIARCH') or '', 'version': '%d.%d.%d' % sys.version_info[:3]}))";
        var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(probe);
        Dictionary<string, string> info;
        try
        {
            using var proc = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + python);
            string output = proc.StandardOutput.ReadToEnd();
            string err = proc.StandardError.ReadToEnd();
            proc.WaitForExit();
            if (proc.ExitCode != 0) throw new InvalidOperationException($"{python} failed: {err}");
            info = JsonSerializer.Deserialize<Dictionary<string, string>>(output.Trim())!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException(
                $"Cannot run '{python}' ({ex.Message}). Install python3.11 (apt-get install python3.11 libpython3.11 libpython3.11-testsuite) or set {PythonEnv}.");
        }

        string version = info["version"];
        if (!version.StartsWith("3.11.", StringComparison.Ordinal))
            throw new InvalidOperationException($"{info["exe"]} is Python {version}; the binding targets CPython 3.11 (set {PythonEnv}).");

        string? lib = Environment.GetEnvironmentVariable(LibPythonEnv);
        if (string.IsNullOrEmpty(lib))
        {
            var candidates = new List<string>();
            foreach (var name in new[] { info["ldlibrary"], info["instsoname"], "libpython3.11.so", "libpython3.11.so.1.0" })
            {
                if (string.IsNullOrEmpty(name) || !name.EndsWith(".so", StringComparison.Ordinal) && !name.Contains(".so.")) continue;
                if (info["libdir"].Length > 0) candidates.Add(Path.Combine(info["libdir"], name));
                if (info["multiarch"].Length > 0) candidates.Add(Path.Combine(info["libdir"], info["multiarch"], name));
            }
            candidates.Add("/usr/lib/x86_64-linux-gnu/libpython3.11.so");
            candidates.Add("/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0");
            candidates.Add("/usr/lib/aarch64-linux-gnu/libpython3.11.so.1.0");
            lib = candidates.FirstOrDefault(File.Exists)
                  ?? throw new InvalidOperationException(
                      $"No libpython3.11.so found for {info["exe"]} (tried {string.Join(", ", candidates)}); install libpython3.11 or set {LibPythonEnv}.");
        }

        cached = new PythonInstallation(info["exe"], info["prefix"], info["exec_prefix"], lib, version);
        return cached;
    }
}
