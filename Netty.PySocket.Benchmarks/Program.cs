using System.Diagnostics;
using System.Globalization;
using Netty.PySocket.Benchmarks;
using Netty.PySocket.Runtime;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var opts = Options.Parse(args);
if (opts.SoakChild is not null) return Netty.PySocket.Benchmarks.Soak.SoakChildren.Run(opts.SoakChild);
var root = Options.FindRoot();
if (opts.Soak) return Netty.PySocket.Benchmarks.Soak.SoakRunner.Run(opts, root);
var outDir = Path.GetFullPath(opts.Out ?? Path.Combine(root, "artifacts", "bench"));
Directory.CreateDirectory(outDir);
var sizes = new Sizes(opts.Quick);
var results = new Results();
var total = Stopwatch.StartNew();
void Say(string s) => Console.WriteLine($"[{total.Elapsed:mm\\:ss}] {s}");

Say($"mode: {(opts.Quick ? "quick" : "full")}, runs: {opts.Runs}, cores: {Environment.ProcessorCount}, out: {outDir}");
// select at N=5000 and the many-connections scenario hold ~2N descriptors in this process.
long fileLimit = ManyConnections.RaiseFileLimit();
results.Log.Add($"RLIMIT_NOFILE (open descriptors) soft limit in the benchmark process: {fileLimit} (raised to the hard limit)");

// ---------------------------------------------------------------- C# level: TCP
var tcp = new TcpImpl[] { new OursTcp(), new RawTcp(), new DotNettyTcp() };
string bulkName = $"bulk {Sizes.Human(sizes.BulkBytes)}, 64 KiB sends/recvs";
string ppB = $"64 B ping-pong x{sizes.PingPong}, blocking", ppT = $"64 B ping-pong x{sizes.PingPong}, timeout mode";
string connName = $"connect+accept+close x{sizes.Conns}";

if (opts.Want("tcp"))
{
    string expected = Payload.ExpectedSha(sizes.BulkBytes, 64 * 1024);
    foreach (var impl in tcp)
    {
        var v = impl.Bulk(sizes.BulkBytes, 64 * 1024, verify: true); // untimed: integrity + warm-up
        bool ok = v.Sha == expected;
        results.Integrity.Add($"{impl.Name}: SHA-256 of {Sizes.Human(sizes.BulkBytes)} {(ok ? "matches" : "MISMATCH")} ({v.Sha?[..16]}...)");
        results.IntegrityOk &= ok;
    }
    Say("bulk integrity: " + string.Join("; ", results.Integrity));
    for (int run = 0; run < opts.Runs; run++)
    {
        foreach (var impl in Rotate(tcp, run))
        {
            var b = impl.Bulk(sizes.BulkBytes, 64 * 1024, verify: false);
            results.Row(Tables.Tcp, bulkName, "MB/s", true).Add(run, impl.Name, sizes.BulkBytes / b.Seconds / 1e6);
        }
        foreach (var mode in new[] { false, true })
            foreach (var impl in Rotate(tcp, run))
            {
                var lat = impl.PingPong(sizes.PingPong, 64, mode);
                string name = mode ? ppT : ppB;
                results.Row(Tables.Tcp, name, "round trips/s", true).Add(run, impl.Name, lat.Length / (lat.Sum() / 1e6));
                Array.Sort(lat);
                results.Row(Tables.Latency, name + ": p50", "µs", false).Add(run, impl.Name, Stats.Percentile(lat, 50));
                results.Row(Tables.Latency, name + ": p99", "µs", false).Add(run, impl.Name, Stats.Percentile(lat, 99));
            }
        foreach (var impl in Rotate(tcp, run))
            results.Row(Tables.Tcp, connName, "connections/s", true).Add(run, impl.Name, sizes.Conns / impl.ConnRate(sizes.Conns));
        foreach (int size in Sizes.Scaling)
        {
            int ops = sizes.ScalingOps(size);
            foreach (var impl in Rotate(tcp, run))
            {
                var b = impl.Bulk((long)ops * size, size, verify: false);
                results.Row(Tables.Scaling, $"{Sizes.Human(size)} per send/recv (x{ops})", "µs/op", false)
                    .Add(run, impl.Name, b.Seconds * 1e6 / ops);
            }
        }
        foreach (var impl in Rotate(tcp, run))
        {
            var a = impl.Alloc(sizes.AllocOps, 1024);
            results.Row(Tables.Alloc, "send 1 KiB: sending thread", "B/op", false).Add(run, impl.Name, a.SendCaller);
            if (!double.IsNaN(a.RecvCaller))
                results.Row(Tables.Alloc, "recv_into 1 KiB: receiving thread", "B/op", false).Add(run, impl.Name, a.RecvCaller);
            results.Row(Tables.Alloc, "send+recv 1 KiB: whole process (all threads)", "B/op", false).Add(run, impl.Name, a.Process);
        }
        results.Row(Tables.Alloc, "recv(1024) (returns a new array): receiving thread", "B/op", false)
            .Add(run, Impl.Ours, OursTcp.AllocRecvBytes(sizes.AllocOps, 1024));
        Say($"tcp run {run + 1}/{opts.Runs} done");
    }
}

// ---------------------------------------------------------------- Python runtimes
var scripts = Path.Combine(AppContext.BaseDirectory, "python");
var python3 = PythonRunner.Which("python3");
var cpython = python3 is null ? null : new PythonRunner(Impl.CPython, python3, Array.Empty<string>());
PythonRunner? host = null;
if (opts.Want("python") && !opts.NoHost)
{
    var dll = Path.Combine(root, "artifacts", "build", "bin", "Netty.PySocket.Host", "release", "Netty.PySocket.Host.dll");
    if (!File.Exists(dll) || (!opts.SkipBuild && Options.Stale(dll, root)))
    {
        Say("building the interop host (dotnet build interop/Netty.PySocket.Host -c Release)...");
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "build", "interop/Netty.PySocket.Host", "-c", "Release", "-nologo", "-v", "q" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var so = p.StandardOutput.ReadToEndAsync(); var se = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0) results.Log.Add("host build failed: " + so.Result.Split('\n').LastOrDefault(l => l.Contains("error")));
    }
    if (File.Exists(dll)) host = new PythonRunner(Impl.OursPy, "dotnet", new[] { dll, "run" });
    else results.Log.Add("interop host not available: Python level 'ours' not run");
}
var jythonExe = PythonRunner.Which("jython");
PythonRunner? jython = null;
if (opts.Want("python") && jythonExe != null && (opts.Jython ?? !opts.Quick))
    jython = new PythonRunner(Impl.Jython, jythonExe, Array.Empty<string>());
else
    results.Log.Add(jythonExe == null ? "Jython: not run (no `jython` on PATH; `apt-get install -y jython` provides 2.7.3)"
        : "Jython: not run in this mode (pass --jython to include it)");
var timeoutPy = TimeSpan.FromSeconds(opts.Quick ? 120 : 900);
string Script(string s) => Path.Combine(scripts, s);
void PyRow(PythonRunner r, int run, string table, string rowName, string unit, bool higher, string script, string[] a, string key, Dictionary<string, double>? cached = null)
{
    var res = cached ?? r.Run(Script(script), a, timeoutPy, results.Log);
    if (res.TryGetValue(key, out var v)) results.Row(table, rowName, unit, higher).Add(run, r.Impl, v);
}

// ---------------------------------------------------------------- select / poll
if (opts.Want("select"))
{
    var fixtures = sizes.SelectN.Where(n => fileLimit < 0 || fileLimit > 2L * n + 256).ToDictionary(n => n, n => new SelectBench.Fixture(n));
    for (int run = 0; run < opts.Runs; run++)
    {
        foreach (int n in fixtures.Keys)
        {
            int calls = sizes.SelectCalls(n);
            var c = SelectBench.Measure(fixtures[n], calls);
            results.Row(Tables.Select, $"select, N={n}, 1 ready", "µs/call", false).Add(run, Impl.Ours, c.SelectFdsUs);
            results.Row(Tables.Select, $"select, N={n}, 1 ready", "µs/call", false).Add(run, "ours Select(objects)", c.SelectObjectsUs);
            results.Row(Tables.Select, $"poll, N={n}, 1 ready", "µs/call", false).Add(run, Impl.Ours, c.PollUs);
            foreach (var r in new[] { cpython, opts.Quick ? null : host })
            {
                if (r is null) continue;
                var res = r.Run(Script("select_cost.py"), new[] { n.ToString(), calls.ToString() }, timeoutPy, results.Log);
                PyRow(r, run, Tables.Select, $"select, N={n}, 1 ready", "µs/call", false, "", Array.Empty<string>(), "select_us", res);
                PyRow(r, run, Tables.Select, $"poll, N={n}, 1 ready", "µs/call", false, "", Array.Empty<string>(), "poll_us", res);
            }
        }
        Say($"select run {run + 1}/{opts.Runs} done");
    }
    foreach (var f in fixtures.Values) f.Dispose();
}

// ---------------------------------------------------------------- many connections (issue 7)
if (opts.Want("many"))
{
    foreach (int n in sizes.ManyN)
    {
        if (fileLimit >= 0 && fileLimit < 2L * n + 256)
        {
            results.Log.Add($"many connections: N={n} skipped, RLIMIT_NOFILE {fileLimit} is too low");
            continue;
        }
        string name = $"N={n}, 64 B echo round trips", cost = $"N={n}: cost per round trip";
        int rounds = sizes.ManyRounds(n);
        // One stack at a time (three at once would need 6N descriptors); each measured opts.Runs times on its connections.
        foreach (var make in new Func<ManyConnections>[] { () => new OursManyConnections(), () => new RawManyConnections(), () => new DotNettyManyConnections() })
        {
            using var impl = make();
            impl.Open(n);
            impl.Rounds(Math.Max(2, rounds / 5)); // warm-up
            for (int run = 0; run < opts.Runs; run++)
            {
                double secs = impl.Rounds(rounds);
                results.Row(Tables.Many, name, "round trips/s", true).Add(run, impl.Name, (double)n * rounds / secs);
                results.Row(Tables.Many, cost, "µs", false).Add(run, impl.Name, secs * 1e6 / ((double)n * rounds));
            }
        }
        Say($"many connections N={n} done ({rounds} rounds per run)");
    }
}

// ---------------------------------------------------------------- UDP
if (opts.Want("udp"))
{
    for (int run = 0; run < opts.Runs; run++)
    {
        foreach (int size in new[] { 64, 1400 })
        {
            string name = $"{size} B datagrams x{sizes.Udp}";
            var row = results.Row(Tables.Udp, name, "datagrams/s", true);
            row.Add(run, Impl.Ours, UdpBench.Ours(sizes.Udp, size));
            row.Add(run, Impl.Raw, UdpBench.Raw(sizes.Udp, size));
            foreach (var r in new[] { cpython, opts.Quick ? null : host })
                if (r != null) PyRow(r, run, Tables.Udp, name, "datagrams/s", true, "udp.py", new[] { sizes.Udp.ToString(), size.ToString() }, "dgram_per_s");
        }
        Say($"udp run {run + 1}/{opts.Runs} done");
    }
}

// ---------------------------------------------------------------- TLS
string tlsBulk = $"TLS bulk {Sizes.Human(sizes.TlsBytes)}, 64 KiB", tlsPp = $"TLS 64 B ping-pong x{sizes.PingPong}, blocking",
    tlsHsRsa = $"TLS handshakes x{sizes.TlsHandshakes}, RSA 2048 (sequential, new connection each)",
    tlsHsEc = $"TLS handshakes x{sizes.TlsHandshakes}, ECDSA P-256 (sequential, new connection each)";
if (opts.Want("tls"))
{
    try
    {
        using var tls = new TlsBench();
        for (int run = 0; run < opts.Runs; run++)
        {
            results.Row(Tables.Tls, tlsBulk, "MB/s", true).Add(run, Impl.Ours, tls.OursBulk(sizes.TlsBytes, 64 * 1024));
            results.Row(Tables.Tls, tlsBulk, "MB/s", true).Add(run, Impl.RawSsl, tls.RawBulk(sizes.TlsBytes, 64 * 1024));
            results.Row(Tables.Tls, tlsPp, "round trips/s", true).Add(run, Impl.Ours, tls.OursPingPong(sizes.PingPong));
            results.Row(Tables.Tls, tlsPp, "round trips/s", true).Add(run, Impl.RawSsl, tls.RawPingPong(sizes.PingPong));
            results.Row(Tables.Tls, tlsHsRsa, "handshakes/s", true).Add(run, Impl.Ours, tls.OursHandshakes(sizes.TlsHandshakes));
            results.Row(Tables.Tls, tlsHsRsa, "handshakes/s", true).Add(run, Impl.RawSsl, tls.RawHandshakes(sizes.TlsHandshakes));
            results.Row(Tables.Tls, tlsHsEc, "handshakes/s", true).Add(run, Impl.Ours, tls.OursHandshakes(sizes.TlsHandshakes, useEcdsa: true));
            results.Row(Tables.Tls, tlsHsEc, "handshakes/s", true).Add(run, Impl.RawSsl, tls.RawHandshakes(sizes.TlsHandshakes, useEcdsa: true));
            Say($"tls run {run + 1}/{opts.Runs} done");
        }
    }
    catch (Exception e) { results.Log.Add("TLS benchmark failed: " + e.GetType().Name + ": " + e.Message); Say("TLS failed: " + e.Message); }
}

// ---------------------------------------------------------------- Python level
string pyBulk = $"bulk {Sizes.Human(sizes.BulkBytes)}, 64 KiB", pyPpB = $"64 B ping-pong x{sizes.PingPong}, blocking",
    pyPpT = $"64 B ping-pong x{sizes.PingPong}, timeout mode", pyConn = $"connect+accept+close x{sizes.Conns}";
if (opts.Want("python"))
{
    for (int run = 0; run < opts.Runs; run++)
    {
        foreach (var r in Rotate(new[] { cpython, host, jython }.Where(x => x != null).Cast<PythonRunner>().ToArray(), run))
        {
            // Jython runs smaller counts (measured: ~185 round trips/s, ~26 connections/s, ~1.3 MB/s bulk on this
            // machine); every figure is a rate, so the rows stay comparable.
            var a = r.Impl == Impl.Jython
                ? new[] { (8L << 20).ToString(), "1000", "100" }
                : new[] { sizes.BulkBytes.ToString(), sizes.PingPong.ToString(), sizes.Conns.ToString() };
            if (opts.Quick) a = a.Append("quick").ToArray();
            var res = r.Run(Script("suite.py"), a, timeoutPy, results.Log);
            PyRow(r, run, Tables.Python, pyBulk, "MB/s", true, "", a, "bulk.mb_per_s", res);
            PyRow(r, run, Tables.Python, pyConn, "connections/s", true, "", a, "conn.conn_per_s", res);
            foreach (var (key, name) in new[] { ("pp.", pyPpB), ("ppt.", pyPpT) })
            {
                PyRow(r, run, Tables.Python, name, "round trips/s", true, "", a, key + "rt_per_s", res);
                PyRow(r, run, Tables.PythonLatency, name + ": p50", "µs", false, "", a, key + "p50_us", res);
                PyRow(r, run, Tables.PythonLatency, name + ": p99", "µs", false, "", a, key + "p99_us", res);
            }
        }
        Say($"python run {run + 1}/{opts.Runs} done");
    }
}

// ---------------------------------------------------------------- targets and report
var targets = new List<Target>();
void T(string table, string row, string a, string b, double thr, string what)
{
    var r = results.Find(table, row);
    targets.Add(new Target(what, r?.Ratio(a, b) ?? double.NaN, thr, true, r is null ? "not measured" : ""));
}
void Within(string table, string row, string a, string b, double times, string what)
{
    var r = results.Find(table, row);
    double ratio = r?.Ratio(a, b) ?? double.NaN;
    targets.Add(new Target(what, 1 / ratio, times, false, r is null ? "not measured" : "slowdown = other's speed / ours"));
}
if (opts.Want("tcp"))
{
    targets.Add(new Target("bulk data integrity (SHA-256, all three stacks)", results.IntegrityOk ? 1 : 0, 1, true));
    T(Tables.Tcp, bulkName, Impl.Ours, Impl.DotNetty, 0.9, "bulk: ours vs raw DotNetty");
    T(Tables.Tcp, bulkName, Impl.Ours, Impl.Raw, 0.7, "bulk: ours vs raw System.Net");
    T(Tables.Tcp, ppB, Impl.Ours, Impl.DotNetty, 1.0, "ping-pong (blocking): ours vs raw DotNetty");
    T(Tables.Tcp, ppB, Impl.Ours, Impl.Raw, 0.3, "ping-pong (blocking): ours vs raw System.Net");
    T(Tables.Tcp, ppT, Impl.Ours, Impl.DotNetty, 1.0, "ping-pong (timeout mode): ours vs raw DotNetty");
    T(Tables.Tcp, ppT, Impl.Ours, Impl.Raw, 0.3, "ping-pong (timeout mode): ours vs raw System.Net");
    T(Tables.Tcp, connName, Impl.Ours, Impl.DotNetty, 0.9, "connection rate: ours vs raw DotNetty");
}
if (opts.Want("tls"))
{
    // Issue 4's targets: ours against raw SslStream over System.Net sockets.
    T(Tables.Tls, tlsBulk, Impl.Ours, Impl.RawSsl, 0.8, "TLS bulk: ours vs raw SslStream");
    T(Tables.Tls, tlsHsRsa, Impl.Ours, Impl.RawSsl, 0.9, "TLS handshakes (RSA 2048): ours vs raw SslStream");
    T(Tables.Tls, tlsHsEc, Impl.Ours, Impl.RawSsl, 0.9, "TLS handshakes (ECDSA P-256): ours vs raw SslStream");
    T(Tables.Tls, tlsPp, Impl.Ours, Impl.RawSsl, 0.5, "TLS 64 B ping-pong: ours vs raw SslStream");
}
if (opts.Want("select"))
    Within(Tables.Select, "select, N=1000, 1 ready", Impl.Ours, Impl.CPython, 10, "select at N=1000: ours within 10x of CPython (cost ratio)");
if (opts.Want("python"))
{
    Within(Tables.Python, pyPpB, Impl.OursPy, Impl.CPython, 3, "Python level ping-pong (blocking): CPython+ours within 3x of native CPython");
    Within(Tables.Python, pyPpT, Impl.OursPy, Impl.CPython, 3, "Python level ping-pong (timeout): CPython+ours within 3x of native CPython");
    Within(Tables.Python, pyBulk, Impl.OursPy, Impl.CPython, 2, "Python level bulk: CPython+ours within 2x of native CPython");
    if (jython != null)
        foreach (var row in new[] { pyBulk, pyPpB, pyPpT, pyConn })
            T(Tables.Python, row, Impl.OursPy, Impl.Jython, 1.0, $"Python level {row.Split(',')[0]}{(row.Contains("timeout") ? " (timeout)" : "")}: CPython+ours ahead of Jython");
    else
        targets.Add(new Target("Python level: CPython+ours ahead of Jython", double.NaN, 1, true, "Jython not run"));
}

Report.Write(outDir, opts, sizes, results, targets, total.Elapsed);
Say($"report: {Path.Combine(outDir, "report.md")}");
foreach (var t in targets) Console.WriteLine(t.Line);
PySocketRuntime.Shutdown();
return 0;

static IEnumerable<T> Rotate<T>(T[] items, int k) => Enumerable.Range(0, items.Length).Select(i => items[(i + k) % items.Length]);
