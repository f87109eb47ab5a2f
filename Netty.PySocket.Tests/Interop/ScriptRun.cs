using System.Diagnostics;

namespace Netty.PySocket.Tests.Interop;

/// <summary>Runs a Python script natively or in the interop host, for tests that compare the two outputs.</summary>
internal static class ScriptRun
{
    /// <summary>The program's stdout; fails the test on a non-zero exit (with its stderr) or after two minutes.</summary>
    public static string Output(string program, string[] args)
    {
        var (code, stdout, stderr) = Run(program, args);
        Assert.True(code == 0, $"{program} exited {code}: {stderr}");
        return stdout;
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
