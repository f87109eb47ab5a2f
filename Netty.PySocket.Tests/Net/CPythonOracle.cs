using System.Collections;
using System.Diagnostics;
using System.Numerics;
using System.Text;
using Netty.PySocket.Errors;

namespace Netty.PySocket.Tests.Net;

/// <summary>
/// Evaluates Python expressions with the machine's CPython (one process per batch) and renders .NET results the
/// same way, so each test compares the library against native CPython rather than against remembered values.
/// </summary>
public static class CPythonOracle
{
    const string Prelude = """
import socket as s, sys
u4 = s.socket(s.AF_INET, s.SOCK_DGRAM)
u6 = s.socket(s.AF_INET6, s.SOCK_DGRAM)
class Foo: pass
def gai(*a, **k): return [(int(f), int(t), p, c, sa) for f, t, p, c, sa in s.getaddrinfo(*a, **k)]
for line in sys.stdin:
    e = line.rstrip('\n').encode().decode('unicode_escape')
    try: r = repr(eval(e))
    except BaseException as x: r = '!! %s %r' % (type(x).__name__, x.args)
    print(r, flush=True)
""";

    /// <summary>repr() of each expression, or "!! ExcType args" when it raises.</summary>
    public static Dictionary<string, string> Evaluate(IEnumerable<string> expressions)
    {
        var exprs = expressions.Distinct().ToList();
        var psi = new ProcessStartInfo("python3", ["-c", Prelude])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("python3 not available");
        var input = new StringBuilder();
        // One expression per line: newline and backslash escaped, undone by the prelude.
        foreach (var e in exprs) input.Append(e.Replace("\\", "\\\\").Replace("\n", "\\n")).Append('\n');
        p.StandardInput.Write(input.ToString());
        p.StandardInput.Close();
        var lines = p.StandardOutput.ReadToEnd().Split('\n');
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (lines.Length < exprs.Count) throw new InvalidOperationException("python3 failed: " + err);
        return exprs.Select((e, i) => (e, lines[i])).ToDictionary(x => x.e, x => x.Item2);
    }

    /// <summary>Runs <paramref name="f"/> and renders its result or PySocketException like the prelude does.</summary>
    public static string Run(Func<object?> f)
    {
        try
        {
            return Repr(f());
        }
        catch (PySocketException e)
        {
            return $"!! {e.PythonTypeName} {Repr(e.PythonArgs)}";
        }
    }

    /// <summary>Python repr of the values the library returns.</summary>
    public static string Repr(object? v) => v switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        string s => StrRepr(s),
        byte[] b => BytesRepr(b),
        int or long or uint or BigInteger => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)!,
        object?[] t => t.Length == 1 ? $"({Repr(t[0])},)" : "(" + string.Join(", ", t.Select(Repr)) + ")",
        IEnumerable e => "[" + string.Join(", ", e.Cast<object?>().Select(Repr)) + "]",
        _ => v.ToString() ?? "",
    };

    static string StrRepr(string s)
    {
        char q = s.Contains('\'') && !s.Contains('"') ? '"' : '\'';
        var sb = new StringBuilder().Append(q);
        foreach (char c in s)
        {
            if (c == q || c == '\\') sb.Append('\\').Append(c);
            else if (c == '\n') sb.Append("\\n");
            else if (c == '\t') sb.Append("\\t");
            else if (c < 32) sb.Append($"\\x{(int)c:x2}");
            else sb.Append(c);
        }
        return sb.Append(q).ToString();
    }

    static string BytesRepr(byte[] b)
    {
        var sb = new StringBuilder("b'");
        foreach (byte c in b)
        {
            if (c == '\'' || c == '\\') sb.Append('\\').Append((char)c);
            else if (c == '\n') sb.Append("\\n");
            else if (c == '\t') sb.Append("\\t");
            else if (c == '\r') sb.Append("\\r");
            else if (c is >= 32 and < 127) sb.Append((char)c);
            else sb.Append($"\\x{c:x2}");
        }
        return sb.Append('\'').ToString();
    }
}

/// <summary>Helpers for test classes whose cases are (python expression, .NET call) pairs checked against CPython.</summary>
public static class Parity
{
    /// <summary>CPython's renderings of all the expressions, computed once per class on first use.</summary>
    public static Lazy<Dictionary<string, string>> Expected((string Py, Func<object?> Net)[] cases) =>
        new(() => CPythonOracle.Evaluate(cases.Select(c => c.Py)));

    /// <summary>The expressions as theory data (readable test names).</summary>
    public static TheoryData<string> Names((string Py, Func<object?> Net)[] cases)
    {
        var data = new TheoryData<string>();
        foreach (var c in cases) data.Add(c.Py);
        return data;
    }

    /// <summary>Asserts that the .NET call renders exactly as CPython's result (value, or class, errno and message).</summary>
    public static void Check((string Py, Func<object?> Net)[] cases, Lazy<Dictionary<string, string>> expected, string py)
    {
        var net = cases.First(c => c.Py == py).Net;
        Assert.Equal(expected.Value[py], CPythonOracle.Run(net));
    }
}
