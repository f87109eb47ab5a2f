namespace Netty.PySocket.Benchmarks;

public sealed class Options
{
    public bool Quick;
    public int Runs = 3;
    public string? Out;
    public bool SkipBuild, NoHost;
    public bool? Jython;
    public HashSet<string>? Only;
    public bool Soak;
    public HashSet<string>? SoakOnly;
    public string? SoakChild;

    public bool Want(string part) => Only is null || Only.Contains(part);

    public static Options Parse(string[] args)
    {
        var o = new Options();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick": o.Quick = true; break;
                case "--runs": o.Runs = Math.Max(3, int.Parse(args[++i])); break;
                case "--out": o.Out = args[++i]; break;
                case "--skip-build": o.SkipBuild = true; break;
                case "--no-host": o.NoHost = true; break;
                case "--jython": o.Jython = true; break;
                case "--no-jython": o.Jython = false; break;
                case "--only": o.Only = args[++i].Split(',').ToHashSet(); break;
                case "--soak": o.Soak = true; break;
                case "--soak-only": o.Soak = true; o.SoakOnly = args[++i].Split(',').ToHashSet(); break;
                case "--soak-child": o.SoakChild = args[++i]; break;
                case "-h": case "--help":
                    Console.WriteLine("usage: dotnet run --project Netty.PySocket.Benchmarks -c Release -- [--quick] [--runs N>=3] " +
                        "[--out DIR] [--skip-build] [--no-host] [--jython|--no-jython] [--only tcp,select,many,udp,tls,python]\n" +
                        "       dotnet run --project Netty.PySocket.Benchmarks -c Release -- --soak [--quick] [--soak-only load,slow,silent,shutdown,leak,exit] [--out DIR]");
                    Environment.Exit(0);
                    break;
                default: throw new ArgumentException("unknown option " + args[i]);
            }
        }
        return o;
    }

    /// <summary>True when a source file of the host's projects (the library, the bridge, the binding) is newer
    /// than the built host, so it must be rebuilt.</summary>
    public static bool Stale(string dll, string root)
    {
        var built = File.GetLastWriteTimeUtc(dll);
        foreach (var dir in new[] { "Netty.PySocket", "interop" })
            foreach (var f in Directory.EnumerateFiles(Path.Combine(root, dir), "*", SearchOption.AllDirectories))
            {
                if (f.Contains("/bin/") || f.Contains("/obj/")) continue;
                if (f.EndsWith(".cs") || f.EndsWith(".py") || f.EndsWith(".csproj") || f.EndsWith(".props"))
                    if (File.GetLastWriteTimeUtc(f) > built) return true;
            }
        return File.GetLastWriteTimeUtc(Path.Combine(root, "Directory.Build.props")) > built;
    }

    /// <summary>The repository root: the folder holding NettyPySocket.sln, searched upwards from the current
    /// directory, then from the program's own folder.</summary>
    public static string FindRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var d = new DirectoryInfo(start); d != null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "NettyPySocket.sln"))) return d.FullName;
        throw new InvalidOperationException("NettyPySocket.sln not found above the current directory");
    }
}

public sealed class Sizes
{
    public Sizes(bool quick) => Quick = quick;
    public bool Quick { get; }
    public long BulkBytes => Quick ? 64L << 20 : 1L << 30;
    public int PingPong => Quick ? 2_000 : 20_000;
    public int Conns => Quick ? 200 : 2_000;
    public int Udp => Quick ? 20_000 : 200_000;
    public long TlsBytes => Quick ? 16L << 20 : 256L << 20;
    public int TlsHandshakes => Quick ? 20 : 200;
    public int AllocOps => Quick ? 5_000 : 50_000;
    /// <summary>Registered sockets for the select/poll table (N=5000 needs ~10,000 descriptors: full mode only).</summary>
    public int[] SelectN => Quick ? new[] { 10, 100, 1000 } : new[] { 10, 100, 1000, 5000 };
    public int SelectCalls(int n) => (n, Quick) switch
    {
        (<= 10, true) => 5_000, (<= 10, false) => 20_000,
        (<= 100, true) => 2_000, (<= 100, false) => 10_000,
        (_, true) => 200, (<= 1000, false) => 1_000, _ => 200,
    };
    /// <summary>Concurrent echo connections for the many-connections table.</summary>
    public int[] ManyN => Quick ? new[] { 100 } : new[] { 1000, 5000 };
    /// <summary>Rounds (one 64 B echo on every connection each) per measured run: ~5,000 (quick) / 100,000 round trips.</summary>
    public int ManyRounds(int n) => Math.Max(10, (Quick ? 5_000 : 100_000) / n);
    public static readonly int[] Scaling = { 64, 1024, 16 * 1024, 64 * 1024, 256 * 1024, 1024 * 1024 };
    public int ScalingOps(int size) => Quick
        ? (int)Math.Clamp((16L << 20) / size, 50, 5_000)
        : (int)Math.Clamp((256L << 20) / size, 200, 50_000);

    public static string Human(long bytes) => bytes switch
    {
        >= 1L << 30 when bytes % (1L << 30) == 0 => $"{bytes >> 30} GiB",
        >= 1L << 20 when bytes % (1L << 20) == 0 => $"{bytes >> 20} MiB",
        >= 1024 when bytes % 1024 == 0 => $"{bytes >> 10} KiB",
        _ => $"{bytes} B",
    };
}

public static class Tables
{
    public const string Tcp = "C# level: throughput and rates (TCP, loopback)";
    public const string Latency = "C# level: ping-pong latency percentiles";
    public const string Scaling = "C# level: cost per operation vs message size (one-way stream, send + matching recv)";
    public const string Select = "select/poll per-call cost (timeout 0, N registered, 1 ready)";
    public const string Many = "Many connections: N concurrent 64 B echo connections, 1 server thread + 2 client threads (select/poll loops; DotNetty: event loops)";
    public const string Udp = "UDP datagrams/s (batches of 32 sent on a connected socket, then received; one thread)";
    public const string Tls = "TLS (self-signed RSA 2048 / ECDSA P-256 made at run time)";
    public const string Alloc = "Allocation per operation (1 KiB messages)";
    public const string Python = "Python level: the python/ scripts on three runtimes";
    public const string PythonLatency = "Python level: ping-pong latency percentiles";

    /// <summary>Per table: column order and the (subject, baseline) pairs whose ratios are shown.</summary>
    public static (string[] Impls, (string A, string B)[] Pairs) Layout(string table) => table switch
    {
        Select => (new[] { Impl.Ours, "ours Select(objects)", Impl.CPython, Impl.OursPy },
                   new[] { (Impl.Ours, Impl.CPython), ("ours Select(objects)", Impl.CPython), (Impl.OursPy, Impl.CPython) }),
        Udp => (new[] { Impl.Ours, Impl.Raw, Impl.CPython, Impl.OursPy },
                new[] { (Impl.Ours, Impl.Raw), (Impl.Ours, Impl.CPython), (Impl.OursPy, Impl.CPython) }),
        Tls => (new[] { Impl.Ours, Impl.RawSsl }, new[] { (Impl.Ours, Impl.RawSsl) }),
        Python or PythonLatency => (new[] { Impl.CPython, Impl.OursPy, Impl.Jython },
                   new[] { (Impl.OursPy, Impl.CPython), (Impl.OursPy, Impl.Jython) }),
        _ => (new[] { Impl.Ours, Impl.Raw, Impl.DotNetty }, new[] { (Impl.Ours, Impl.Raw), (Impl.Ours, Impl.DotNetty) }),
    };

    public static readonly string[] Order = { Tcp, Latency, Scaling, Alloc, Select, Many, Udp, Tls, Python, PythonLatency };
}
