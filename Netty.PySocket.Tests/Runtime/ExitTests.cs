using System.Diagnostics;

namespace Netty.PySocket.Tests.Runtime;

/// <summary>Runs alone: it times a child process, which must not compete with the parallel test classes.</summary>
[CollectionDefinition(nameof(ExitTests), DisableParallelization = true)]
public class ExitCollection
{
}

/// <summary>
/// The doc's registerCloser: a process with many open sockets and threads blocked in recv/accept exits promptly
/// once its main code is done, with nothing printed (the process-exit closer closes everything).
/// </summary>
[Collection(nameof(ExitTests))]
public class ExitTests
{
    const string Script = """
        import socket, threading, sys
        l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen(128)
        pairs = []
        for i in range(300):
            c = socket.create_connection(l.getsockname())
            s, _ = l.accept()
            pairs.append((c, s))
        started = threading.Barrier(56)
        def block(f):
            started.wait()
            try:
                f()
            except OSError:
                pass
        threads = [threading.Thread(target=block, args=(lambda s=p[1]: s.recv(10),), daemon=True) for p in pairs[:50]]
        threads += [threading.Thread(target=block, args=(l.accept,), daemon=True) for _ in range(5)]
        for t in threads: t.start()
        started.wait()
        print("main-done", flush=True)
        """;

    [Fact]
    public void ProcessWithOpenSocketsAndBlockedThreadsExitsPromptlyAndCleanly()
    {
        string host = HostPath();
        string script = Path.Combine(Path.GetTempPath(), $"pysocket-exit-{Guid.NewGuid():N}.py");
        File.WriteAllText(script, Script);
        try
        {
            var psi = new ProcessStartInfo("dotnet", [host, "run", script])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var p = Process.Start(psi)!;
            Task<string> stderr = p.StandardError.ReadToEndAsync();
            string? line = p.StandardOutput.ReadLine();
            var sinceMainDone = Stopwatch.StartNew();
            Assert.Equal("main-done", line);
            Assert.True(p.WaitForExit(TimeSpan.FromSeconds(30)), "process did not exit");
            TimeSpan exit = sinceMainDone.Elapsed;
            Assert.Equal(0, p.ExitCode);
            Assert.Equal("", stderr.Result);
            // Not a timing test (speed belongs to the benchmarks): the bound only tells "the closer ran" from the
            // failures it guards against, DotNetty's 15 s graceful shutdown or a hang. Measured on an idle machine:
            // 0.5-0.65 s, most of it the runtime's own teardown; 1.4-2.4 s with the machine at load 8.
            Assert.True(exit < TimeSpan.FromSeconds(5), $"exit took {exit}");
        }
        finally
        {
            File.Delete(script);
        }
    }

    internal static string HostPath()
    {
        // artifacts/build/bin/Netty.PySocket.Tests/<config>/ -> artifacts/build/bin/Netty.PySocket.Host/<config>/
        string here = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        string config = Path.GetFileName(here);
        string bin = Path.GetDirectoryName(Path.GetDirectoryName(here))!;
        string host = Path.Combine(bin, "Netty.PySocket.Host", config, "Netty.PySocket.Host.dll");
        Assert.True(File.Exists(host), $"interop host not built at {host}");
        return host;
    }
}
