using System.Diagnostics;

namespace Netty.PySocket.Tests.Interop;

/// <summary>Runs a Python script natively or in the interop host, for tests that compare the two outputs.</summary>
internal static class ScriptRun
{
    /// <summary>The program's stdout; fails the test on a non-zero exit (with its stderr) or after two minutes.</summary>
    public static string Output(string program, string[] args)
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
        Assert.True(p.WaitForExit(TimeSpan.FromSeconds(120)), $"{program} did not finish");
        Assert.True(p.ExitCode == 0, $"{program} exited {p.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }
}
