using System.Diagnostics;

namespace Netty.PySocket.Tests.Interop;

/// <summary>Runs a Python script natively or in the interop host, for tests that compare the two outputs.</summary>
internal static class ScriptRun
{
    /// <summary>Runs <paramref name="script"/> with python3 and in the interop host: both results, native first.</summary>
    public static ((int Code, string Stdout, string Stderr) Native, (int Code, string Stdout, string Stderr) Ours) NativeAndOurs(string script)
    {
        string path = Path.Combine(Path.GetTempPath(), $"pysocket-script-{Guid.NewGuid():N}.py");
        File.WriteAllText(path, script);
        try
        {
            return (Run("python3", [path]), Run("dotnet", [Runtime.InteropHost.Path, "run", path]));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Exit code, stdout and stderr; fails the test if the program is still running after two minutes.</summary>
    public static (int Code, string Stdout, string Stderr) Run(string program, string[] args)
    {
        var psi = new ProcessStartInfo(program, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromSeconds(120)))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{program} did not finish");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
