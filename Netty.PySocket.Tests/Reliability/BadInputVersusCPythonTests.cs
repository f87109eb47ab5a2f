using CsCheck;
using Netty.PySocket.Errors;
using Netty.PySocket.Select;
using Netty.PySocket.Socket;
using Netty.PySocket.Tests.Net;
using static Netty.PySocket.Net.SocketConstants;

namespace Netty.PySocket.Tests.Reliability;

/// <summary>
/// Issue 8 bad input, compared with CPython itself: randomly generated arguments (CsCheck, fixed seed) for bind,
/// settimeout, setsockopt, getsockopt, recv, select, poll.register and epoll(): each case runs on our library and,
/// as a Python expression, on python3; the outcome (success, or exception class and errno) must be the same.
/// Only arguments whose outcome cannot depend on the process are generated (no real descriptors, no DNS, no waits).
/// </summary>
public class BadInputVersusCPythonTests
{
    const int CasesPerCall = 150;

    sealed record Case(string Python, Func<object?> Ours);

    static string Outcome(Func<object?> f)
    {
        // No call may hang: each runs with a deadline (none of these cases asks for a wait).
        Task<string> call = Task.Run(() =>
        {
            try
            {
                f();
                return "ok";
            }
            catch (PySocketException e)
            {
                return e.Kind is PyErrorKind.OSError or PyErrorKind.GaiError && e.Errno is int errno ? $"{e.PythonTypeName} {errno}" : e.PythonTypeName;
            }
            catch (Exception e)
            {
                return "leaked .NET exception " + e;
            }
        });
        return call.Wait(TimeSpan.FromSeconds(10)) ? call.Result : "hung";
    }

    // The oracle prints "!! ExcClass (args)" for an exception: keep the class and an errno-like first argument.
    static string PythonOutcome(string line)
    {
        if (!line.StartsWith("!! ", StringComparison.Ordinal)) return "ok";
        string[] parts = line[3..].Split(' ', 2);
        string type = parts[0];
        if (type is "OSError" or "gaierror" || type.EndsWith("Error", StringComparison.Ordinal) && parts.Length > 1 && parts[1].StartsWith("(-", StringComparison.Ordinal) || parts.Length > 1 && char.IsDigit(parts[1].ElementAtOrDefault(1)))
        {
            string args = parts.Length > 1 ? parts[1] : "";
            int comma = args.IndexOf(',');
            if (args.StartsWith('(') && comma > 1 && int.TryParse(args[1..comma], out int errno)) return $"{type} {errno}";
        }
        return type;
    }

    static object? With(SocketObject s, Func<SocketObject, object?> f)
    {
        try
        {
            return f(s);
        }
        finally
        {
            s.Close();
        }
    }

    static List<Case> Sampled<T>(Gen<T> gen, Func<T, Case> make, int n)
    {
        var cases = new List<Case>();
        // The same inputs on every run (see FixedSample).
        gen.SampleFixed(v => cases.Add(make(v)), n);
        return cases;
    }

    static readonly Gen<int> Level = Gen.OneOf(SOL_SOCKET, IPPROTO_TCP, IPPROTO_IP, IPPROTO_IPV6, -1, 9999);
    static readonly Gen<int> OptName = Gen.Frequency((3, Gen.OneOf(SO_REUSEADDR, SO_RCVBUF, SO_LINGER, TCP_NODELAY, IP_TTL, IPV6_V6ONLY, SO_TYPE, SO_ERROR, TCP_KEEPIDLE, IP_ADD_MEMBERSHIP)), (1, Gen.Int[-3, 80].Where(o => o != TcpZerocopyReceive)));
    // TCP_ZEROCOPY_RECEIVE (IPPROTO_TCP 35) is an in/out struct: CPython hands the kernel an uninitialised buffer, so
    // its answer (EINVAL or 64 bytes) depends on stale memory, not on the arguments.
    const int TcpZerocopyReceive = 35;
    // Flags the library implements. Others raise OSError(EOPNOTSUPP) by design where CPython hands them to the kernel
    // (design/reliability.md lists this difference).
    static readonly Gen<int> Flags = Gen.OneOf(0, MSG_PEEK, MSG_DONTWAIT, MSG_WAITALL, MSG_PEEK | MSG_DONTWAIT);
    static readonly Gen<object?> NotADescriptor = Gen.OneOf<object?>(-1, -100, int.MinValue, PyValues.Huge, "3", null, 1.5, Array.Empty<byte>(), new object?[] { 1 }, new PyPlainObject());
    static readonly Gen<object?> SetOptValue = PyValues.Any.Where(v => v is not null); // None means the 4-argument form in C#

    static List<Case> Cases()
    {
        var all = new List<Case>();
        foreach (var (py, family, type) in new[] { ("s.socket()", AF_INET, SOCK_STREAM), ("s.socket(s.AF_INET6)", AF_INET6, SOCK_STREAM), ("s.socket(s.AF_INET, s.SOCK_DGRAM)", AF_INET, SOCK_DGRAM) })
        {
            all.AddRange(Sampled(PyValues.Any, v => new Case($"{py}.bind({PyValues.Literal(v)})", () => With(new SocketObject(family, type), s => { s.Bind(v); return null; })), CasesPerCall));
        }
        all.AddRange(Sampled(Gen.Double, d => new Case($"s.socket().settimeout({PyValues.Literal(d)})", () => With(new SocketObject(), s => { s.SetTimeout(d); return null; })), 40));
        foreach (double d in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, 1e-9, 1e300, -1e-300 })
        {
            all.Add(new Case($"s.socket().settimeout({PyValues.Literal(d)})", () => With(new SocketObject(), s => { s.SetTimeout(d); return null; })));
        }
        all.AddRange(Sampled(Gen.Select(Level, OptName, SetOptValue), t => new Case(
            $"s.socket().setsockopt({t.Item1}, {t.Item2}, {PyValues.Literal(t.Item3)})",
            () => With(new SocketObject(), s => { s.SetSockOpt(t.Item1, t.Item2, t.Item3); return null; })), CasesPerCall));
        all.AddRange(Sampled(Gen.Select(Level, OptName, Gen.OneOf(0, -1, 1, 4, 8, 1024, 1025, int.MaxValue, int.MinValue)), t => new Case(
            $"s.socket().getsockopt({t.Item1}, {t.Item2}, {t.Item3})",
            () => With(new SocketObject(), s => s.GetSockOpt(t.Item1, t.Item2, t.Item3))), CasesPerCall));
        all.AddRange(Sampled(Gen.Select(Gen.OneOf(Gen.Int[-3, 70000], Gen.OneOf(int.MinValue)), Flags), t => new Case(
            $"s.socket().recv({t.Item1}, {t.Item2})",
            () => With(new SocketObject(), s => s.Recv(t.Item1, t.Item2))), 60));
        all.AddRange(Sampled(Gen.Select(Gen.Int[-3, 70000], Flags), t => new Case(
            $"(lambda u: (u.setblocking(False), u.recvfrom({t.Item1}, {t.Item2}))[1])(s.socket(s.AF_INET, s.SOCK_DGRAM))",
            () => With(new SocketObject(AF_INET, SOCK_DGRAM), s => { s.SetBlocking(false); return s.RecvFrom(t.Item1, t.Item2); })), 40));
        all.AddRange(Sampled(Gen.Select(NotADescriptor.Array[0, 2], NotADescriptor.Array[0, 2], PyValues.ShortTimeout), t => new Case(
            $"__import__('select').select({ListLiteral(t.Item1)}, {ListLiteral(t.Item2)}, [], {PyValues.Literal(t.Item3)})",
            () => SelectModule.Select(t.Item1, t.Item2, [], t.Item3)), CasesPerCall));
        all.AddRange(Sampled(Gen.Select(NotADescriptor, Gen.OneOf<object?>(0, -1, 1, 65535, 65536, 1L << 31, PyValues.Huge, "1", 1.5)), t => new Case(
            $"__import__('select').poll().register({PyValues.Literal(t.Item1)}, {PyValues.Literal(t.Item2)})",
            () => { SelectModule.Poll().Register(t.Item1, t.Item2); return null; }), 60));
        all.AddRange(Sampled(Gen.Select(Gen.OneOf(-2, -1, 0, 1, 1 << 20, int.MaxValue, int.MinValue), Gen.OneOf(0, 1, -1, 0x80000, int.MaxValue)), t => new Case(
            $"__import__('select').epoll({t.Item1}, {t.Item2}).close()",
            () => { SelectModule.Epoll(t.Item1, t.Item2).Close(); return null; }), 30));
        return all;
    }

    static string ListLiteral(object?[] items) => "[" + string.Join(", ", items.Select(PyValues.Literal)) + "]";

    [Fact]
    public void RandomArgumentsRaiseWhatCPythonRaises()
    {
        List<Case> cases = Cases();
        var python = CPythonOracle.Evaluate(cases.Select(c => c.Python));
        var mismatches = new List<string>();
        foreach (Case c in cases)
        {
            string ours = Outcome(c.Ours);
            string theirs = PythonOutcome(python[c.Python]);
            if (ours != theirs) mismatches.Add($"{c.Python}: CPython {python[c.Python]} | ours {ours}");
        }
        ReliabilityFigures.Add("bad input: random calls compared with CPython", cases.Count);
        ReliabilityFigures.Add("bad input: calls whose outcome differs from CPython (must be 0)", mismatches.Count);
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {cases.Count} differ from CPython:\n" + string.Join("\n", mismatches.Distinct().Take(40)));
    }
}
