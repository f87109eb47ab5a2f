namespace Netty.PySocket.Host.Conformance;

/// <summary>One CPython test module (as regrtest names it) and the regrtest options it needs.</summary>
public sealed record TestModule(string Name, IReadOnlyList<string> ExtraArgs, IReadOnlyList<string> Matches);

/// <summary>Command-line options of <c>conformance</c>.</summary>
public sealed class ConformanceOptions
{
    /// <summary>The modules the issue names, in run order, with the regrtest options each needs.</summary>
    public static readonly IReadOnlyList<TestModule> AllModules =
    [
        new("test_select", [], []),
        new("test_selectors", [], []),
        new("test_poll", [], []),
        new("test_epoll", [], []),
        new("test_socket", [], []),
        new("test_socketserver", ["-u", "network"], []),
        new("test_httplib", [], []),
        new("test_urllib2_localnet", [], []),
        new("test_asyncio.test_sock_lowlevel", [], []),
        new("test_ftplib", [], []),
        new("test_poplib", [], []),
        new("test_smtplib", [], []),
        new("test_imaplib", [], []),
        new("test_ssl", [], []),
        new("test_asyncio.test_ssl", [], []),
        new("test_asyncio.test_sslproto", [], []),
    ];

    /// <summary>The CI subset: select, selectors and a few core test_socket classes.</summary>
    public static readonly IReadOnlyList<TestModule> QuickModules =
    [
        new("test_select", [], []),
        new("test_selectors", [], []),
        new("test_socket", [], ["GeneralModuleTests", "BasicTCPTest", "TCPTimeoutTest", "NonBlockingTCPTests",
                                "NetworkConnectionNoServer", "FileObjectClassTestCase", "TestExceptions"]),
    ];

    /// <summary>Excluded in both configurations: ThreadedVSOCKSocketStreamTest hangs even natively here.</summary>
    public static readonly IReadOnlyList<string> AlwaysIgnored = ["*VSOCK*"];

    public List<TestModule> Modules { get; } = [];
    public List<string> Matches { get; } = [];
    public List<string> Ignores { get; } = [];
    public bool RunNative { get; set; } = true;
    public bool RunOurs { get; set; } = true;
    public bool Sequential { get; set; }
    public TimeSpan TestTimeout { get; set; } = TimeSpan.FromSeconds(120);
    bool timeoutGiven;
    public string OutputDirectory { get; set; } = "";
    public string ManifestPath { get; set; } = "";
    public bool Quick { get; set; }
    public bool Verbose { get; set; }

    public const string Help = """
        conformance [options]   run CPython's own test modules natively (python3 -m test) and with Netty.PySocket
                                (embedded CPython, our _socket/select), compare per test, write the report.
          --modules a,b,...     modules to run (default: all of the issue's modules)
          --match PAT           only tests matching PAT (regrtest -m semantics; repeatable)
          --ignore PAT          skip tests matching PAT (regrtest -i semantics; repeatable)
          --quick               CI subset: test_select, test_selectors, a few test_socket classes
          --only native|ours    run one configuration only
          --sequential          run the two configurations one after the other (default: side by side)
          --test-timeout SEC    kill a run when one test gives no result for SEC seconds (default 120, --quick 60);
                                after 3 consecutive hangs the module's remaining tests count as not run
          --out DIR             output directory (default: <repo>/artifacts/conformance)
          --manifest FILE       known-gaps manifest (default: interop/harness/manifest.txt)
          -v, --verbose         echo every finished test
        Prints "ours: N passed, N failed, N skipped" (and the same for native) at the end; exits 0 when the run
        completed, whatever the test outcomes.
        """;

    public static ConformanceOptions Parse(string[] args)
    {
        var o = new ConformanceOptions();
        string? modules = null;
        for (int i = 0; i < args.Length; i++)
        {
            string a = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{a} needs a value");
            switch (a)
            {
                case "--modules": modules = Next(); break;
                case "--match": case "-m": o.Matches.Add(Next()); break;
                case "--ignore": case "-i": o.Ignores.Add(Next()); break;
                case "--quick": o.Quick = true; break;
                case "--only":
                    string which = Next();
                    o.RunNative = which == "native";
                    o.RunOurs = which == "ours";
                    if (!o.RunNative && !o.RunOurs) throw new ArgumentException("--only takes native or ours");
                    break;
                case "--sequential": o.Sequential = true; break;
                case "--test-timeout": o.timeoutGiven = true; o.TestTimeout = TimeSpan.FromSeconds(double.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture)); break;
                case "--out": o.OutputDirectory = Path.GetFullPath(Next()); break;
                case "--manifest": o.ManifestPath = Path.GetFullPath(Next()); break;
                case "-v": case "--verbose": o.Verbose = true; break;
                default: throw new ArgumentException($"unknown option {a}");
            }
        }

        if (o.Quick && !o.timeoutGiven) o.TestTimeout = TimeSpan.FromSeconds(60);
        var source = o.Quick ? QuickModules : AllModules;
        if (modules is null)
        {
            o.Modules.AddRange(source);
        }
        else
        {
            foreach (var name in modules.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var known = source.FirstOrDefault(m => m.Name == name) ?? AllModules.FirstOrDefault(m => m.Name == name);
                o.Modules.Add(known ?? new TestModule(name, [], []));
            }
        }

        string root = RepositoryRoot();
        if (o.OutputDirectory.Length == 0) o.OutputDirectory = Path.Combine(root, "artifacts", "conformance");
        if (o.ManifestPath.Length == 0)
        {
            string inRepo = Path.Combine(root, "interop", "harness", "manifest.txt");
            o.ManifestPath = File.Exists(inRepo) ? inRepo : Path.Combine(EmbeddedPython.HarnessDirectory, "manifest.txt");
        }
        return o;
    }

    /// <summary>The directory holding NettyPySocket.sln above the current directory (or the host), else the current directory.</summary>
    public static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "NettyPySocket.sln"))) return d.FullName;
        }
        return Directory.GetCurrentDirectory();
    }
}
