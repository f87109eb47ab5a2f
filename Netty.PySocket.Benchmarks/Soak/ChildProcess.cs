using System.Diagnostics;
using System.Reflection;

namespace Netty.PySocket.Benchmarks.Soak;

/// <summary>This program started again in a hidden <c>--soak-child NAME</c> mode, output captured.</summary>
public static class ChildProcess
{
    public static Process Start(string mode)
    {
        string self = Environment.ProcessPath!;
        var psi = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            psi.FileName = self;
            psi.ArgumentList.Add(Assembly.GetExecutingAssembly().Location);
        }
        else psi.FileName = self;
        psi.ArgumentList.Add("--soak-child");
        psi.ArgumentList.Add(mode);
        return Process.Start(psi)!;
    }
}
