using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Netty.PySocket.Socket;
using Netty.PySocket.Ssl;

namespace Netty.PySocket.Tests.Ssl;

/// <summary>Certificates made once per test run (make-certs.sh with the machine's openssl) into a temp dir.</summary>
public static class Certs
{
    static readonly Lazy<string> dir = new(() =>
    {
        string d = Path.Combine(Path.GetTempPath(), "pysocket-ssl-" + Environment.ProcessId);
        var r = SslTestKit.Run("bash", [Path.Combine(SslTestKit.SourceDir(), "make-certs.sh"), d]);
        if (!r.Contains("ok")) throw new InvalidOperationException("make-certs failed: " + r);
        return d;
    });

    public static string Dir => dir.Value;
    public static string P(string name) => Path.Combine(Dir, name);
}

/// <summary>A started process (python3 peer, openssl s_server/s_client) killed in Dispose.</summary>
public sealed class Peer : IDisposable
{
    readonly Process p;
    readonly StringBuilder err = new();
    public int Port { get; private set; }

    Peer(Process p) => this.p = p;

    public static Peer Start(string file, IEnumerable<string> args, string? portPrefix = null, bool stdinOpen = false)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (string a in args) psi.ArgumentList.Add(a);
        var peer = new Peer(Process.Start(psi)!);
        peer.p.ErrorDataReceived += (_, e) => { lock (peer.err) peer.err.AppendLine(e.Data); };
        peer.p.BeginErrorReadLine();
        if (portPrefix is not null)
        {
            string line = peer.ReadLine() ?? throw new InvalidOperationException("peer ended: " + peer.Errors);
            peer.Port = int.Parse(line[portPrefix.Length..].Trim(), CultureInfo.InvariantCulture);
        }
        return peer;
    }

    public static Peer Python(object config, bool server) =>
        Start("python3", [Path.Combine(SslTestKit.SourceDir(), "peer.py"), JsonSerializer.Serialize(config)], server ? "PORT" : null);

    public string? ReadLine() => p.StandardOutput.ReadLine();

    public JsonElement ReadJson()
    {
        string? line = ReadLine();
        if (line is null) throw new InvalidOperationException("peer ended: " + Errors);
        return JsonDocument.Parse(line).RootElement;
    }

    public StreamWriter Input => p.StandardInput;
    public string ReadToEnd() => p.StandardOutput.ReadToEnd();

    public string Errors
    {
        get
        {
            lock (err) return err.ToString();
        }
    }

    public bool WaitExit(int ms = 20000) => p.WaitForExit(ms);

    public void Dispose()
    {
        try
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
            p.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
        }
        p.Dispose();
    }
}

public static class SslTestKit
{
    public static string SourceDir([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    public static string Run(string file, IEnumerable<string> args, string? stdin = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        try
        {
            if (stdin is not null) p.StandardInput.Write(stdin);
            p.StandardInput.Close();
            Task<string> e = p.StandardError.ReadToEndAsync();
            string o = p.StandardOutput.ReadToEnd();
            if (!p.WaitForExit(60000)) throw new TimeoutException(file);
            return o + e.Result;
        }
        finally
        {
            if (!p.HasExited) p.Kill(true);
        }
    }

    /// <summary>Evaluates a python3 expression and returns its repr (one process per call).</summary>
    public static string PyRepr(string expression, string imports = "import ssl, _ssl") =>
        Run("python3", ["-c", imports + "\nprint(repr(" + expression + "))"]).TrimEnd('\n');

    /// <summary>Python's repr of our values (dict, tuple = object[], str, int, bytes, None, bool).</summary>
    public static string Repr(object? v) => v switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        string s => StrRepr(s),
        int or long => Convert.ToString(v, CultureInfo.InvariantCulture)!,
        byte[] bytes => "b'" + string.Concat(bytes.Select(x => x is >= 32 and < 127 && x != '\'' && x != '\\' ? ((char)x).ToString() : $"\\x{x:x2}")) + "'",
        Dictionary<string, object> d => "{" + string.Join(", ", d.Select(kv => StrRepr(kv.Key) + ": " + Repr(kv.Value))) + "}",
        object[] t => "(" + string.Join(", ", t.Select(Repr)) + (t.Length == 1 ? ",)" : ")"),
        _ => v.ToString()!,
    };

    static string StrRepr(string s) => s.Contains('\'') && !s.Contains('"') ? "\"" + s + "\"" : "'" + s.Replace("\\", "\\\\").Replace("'", "\\'").Replace("\n", "\\n").Replace("\r", "\\r").Replace("\t", "\\t") + "'";

    public static SslContext ClientContext(string? cafile = null)
    {
        var c = new SslContext(SslConstants.PROTOCOL_TLS_CLIENT);
        c.LoadVerifyLocations(cafile ?? Certs.P("ca.pem"));
        return c;
    }

    public static SslContext ServerContext(string cert = "server.pem", string key = "server.key")
    {
        var c = new SslContext(SslConstants.PROTOCOL_TLS_SERVER);
        c.LoadCertChain(Certs.P(cert), Certs.P(key));
        return c;
    }

    public static SocketObject Connect(int port)
    {
        var s = new SocketObject();
        s.Connect(new object[] { "127.0.0.1", port });
        return s;
    }

    public static SocketObject Listen()
    {
        var l = new SocketObject();
        l.Bind(new object[] { "127.0.0.1", 0 });
        l.Listen(8);
        return l;
    }

    public static int Port(SocketObject s) => (int)((object[])s.GetSockName())[1];

    public static byte[] Pattern(long n)
    {
        var b = new byte[n];
        for (long i = 0; i < n; i++) b[i] = (byte)(i % 256);
        return b;
    }

    public static byte[] ReadExactly(SslSocket s, int n)
    {
        var buf = new byte[n];
        int got = 0;
        while (got < n)
        {
            int r = s.RecvInto(buf.AsSpan(got));
            if (r == 0) throw new EndOfStreamException($"EOF after {got} of {n}");
            got += r;
        }
        return buf;
    }
}

public sealed class Closer(Action close) : IDisposable
{
    public void Dispose() => close();
}
