namespace Netty.PySocket.Tests.Runtime;

/// <summary>The interop host (embedded CPython with our modules) that the test project builds next to itself.</summary>
public static class InteropHost
{
    /// <summary>Path of Netty.PySocket.Host.dll, run as <c>dotnet &lt;path&gt; run script.py args...</c>.</summary>
    public static string Path
    {
        get
        {
            // artifacts/build/bin/Netty.PySocket.Tests/<config>/ -> artifacts/build/bin/Netty.PySocket.Host/<config>/
            string here = AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar);
            string config = System.IO.Path.GetFileName(here);
            string bin = System.IO.Path.GetDirectoryName(System.IO.Path.GetDirectoryName(here))!;
            string host = System.IO.Path.Combine(bin, "Netty.PySocket.Host", config, "Netty.PySocket.Host.dll");
            Assert.True(File.Exists(host), $"interop host not built at {host}");
            return host;
        }
    }
}
