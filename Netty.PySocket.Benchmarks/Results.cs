namespace Netty.PySocket.Benchmarks;

/// <summary>One row of a table: the same scenario measured once per run for every implementation.</summary>
public sealed class Row
{
    public Row(string table, string name, string unit, bool higherIsBetter)
    {
        Table = table; Name = name; Unit = unit; HigherIsBetter = higherIsBetter;
    }

    public string Table { get; }
    public string Name { get; }
    public string Unit { get; }
    public bool HigherIsBetter { get; }
    /// <summary>impl -> one value per run (index = run number; NaN = not measured in that run).</summary>
    public Dictionary<string, List<double>> Runs { get; } = new();
    public List<string> Notes { get; } = new();

    public void Add(int run, string impl, double value)
    {
        if (!Runs.TryGetValue(impl, out var list)) Runs[impl] = list = new List<double>();
        while (list.Count <= run) list.Add(double.NaN);
        list[run] = value;
    }

    public bool Has(string impl) => Runs.TryGetValue(impl, out var l) && l.Any(v => !double.IsNaN(v));

    public double Median(string impl) => Runs.TryGetValue(impl, out var l) ? Stats.Median(l) : double.NaN;

    /// <summary>Speed of <paramref name="ours"/> relative to <paramref name="other"/> (>1: ours faster), computed per
    /// run from the two values measured side by side, then the median over runs.</summary>
    public double Ratio(string ours, string other)
    {
        if (!Runs.TryGetValue(ours, out var a) || !Runs.TryGetValue(other, out var b)) return double.NaN;
        var per = new List<double>();
        for (int i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            if (double.IsNaN(a[i]) || double.IsNaN(b[i]) || a[i] == 0 || b[i] == 0) continue;
            per.Add(HigherIsBetter ? a[i] / b[i] : b[i] / a[i]);
        }
        return Stats.Median(per);
    }

    public int RunCount(string a, string b)
    {
        if (!Runs.TryGetValue(a, out var x) || !Runs.TryGetValue(b, out var y)) return 0;
        int n = 0;
        for (int i = 0; i < Math.Min(x.Count, y.Count); i++) if (!double.IsNaN(x[i]) && !double.IsNaN(y[i])) n++;
        return n;
    }
}

public static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        var v = values.Where(x => !double.IsNaN(x)).OrderBy(x => x).ToArray();
        if (v.Length == 0) return double.NaN;
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }

    public static double Percentile(double[] sorted, double p)
    {
        if (sorted.Length == 0) return double.NaN;
        int idx = (int)Math.Ceiling(p / 100.0 * sorted.Length) - 1;
        return sorted[Math.Clamp(idx, 0, sorted.Length - 1)];
    }
}

/// <summary>A target line: PASS/FAIL with the measured ratio.</summary>
public sealed record Target(string What, double Measured, double Threshold, bool AtLeast, string Note = "")
{
    public bool Measurable => !double.IsNaN(Measured);
    public bool Pass => Measurable && (AtLeast ? Measured >= Threshold : Measured <= Threshold);
    public string Line => !Measurable
        ? $"NOT RUN {What}: {Note}"
        : $"{(Pass ? "PASS" : "FAIL")} {What}: measured {Measured:0.00}x, target {(AtLeast ? ">=" : "<=")} {Threshold:0.##}x{(Note.Length > 0 ? " (" + Note + ")" : "")}";
}

public sealed class Results
{
    public List<Row> Rows { get; } = new();
    public List<string> Log { get; } = new();
    public List<string> Integrity { get; } = new();
    public bool IntegrityOk { get; set; } = true;
    public Row Row(string table, string name, string unit, bool higherIsBetter)
    {
        var r = Rows.FirstOrDefault(x => x.Table == table && x.Name == name);
        if (r is null) Rows.Add(r = new Row(table, name, unit, higherIsBetter));
        return r;
    }
    public Row? Find(string table, string name) => Rows.FirstOrDefault(x => x.Table == table && x.Name == name);
}
