using System.Globalization;
using System.Text;

namespace Netty.PySocket.Benchmarks;

public static class Report
{
    static string F(double v) => double.IsNaN(v) ? "–" : v >= 1000 ? v.ToString("N0", CultureInfo.InvariantCulture)
        : v >= 10 ? v.ToString("0.0", CultureInfo.InvariantCulture) : v.ToString("0.00", CultureInfo.InvariantCulture);
    static string R(double v) => double.IsNaN(v) ? "–" : v.ToString("0.00", CultureInfo.InvariantCulture) + "x";

    static string Slug(string s) =>
        new string(s.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray()).Split('-', StringSplitOptions.RemoveEmptyEntries)
            .Take(5).Aggregate((a, b) => a + "-" + b);

    public static void Write(string dir, Options opts, Sizes sizes, Results results, List<Target> targets, TimeSpan elapsed)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Netty.PySocket benchmarks");
        sb.AppendLine();
        sb.AppendLine($"Mode: **{(opts.Quick ? "quick" : "full")}**, {opts.Runs} runs, {Environment.ProcessorCount} cores, " +
                      $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, " +
                      $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, took {elapsed:mm\\:ss}. Loopback only.");
        sb.AppendLine();
        sb.AppendLine("Every ratio is computed **per run** from values measured side by side in that run (implementations " +
                      "rotated within the run), then the **median over runs** is shown. Ratios are speed ratios: >1 means the " +
                      "first-named is faster (for costs, µs or bytes, the ratio is baseline cost / subject cost). Absolute values " +
                      "are medians over runs and are noisy on a shared machine; the ratios are what to read.");
        sb.AppendLine();
        sb.AppendLine("## Targets");
        sb.AppendLine();
        sb.AppendLine("```");
        foreach (var t in targets) sb.AppendLine(t.Line);
        sb.AppendLine("```");
        sb.AppendLine();
        if (results.Integrity.Count > 0)
        {
            sb.AppendLine("Bulk data integrity (checked once per stack, outside the timed runs): " + string.Join("; ", results.Integrity) + ".");
            sb.AppendLine();
        }
        foreach (var table in Tables.Order)
        {
            var rows = results.Rows.Where(r => r.Table == table).ToList();
            if (rows.Count == 0) continue;
            var (impls, pairs) = Tables.Layout(table);
            impls = impls.Where(i => rows.Any(r => r.Has(i))).ToArray();
            pairs = pairs.Where(p => rows.Any(r => r.Has(p.A) && r.Has(p.B))).ToArray();
            sb.AppendLine("## " + table);
            sb.AppendLine();
            sb.Append("| scenario | unit | ").Append(string.Join(" | ", impls)).Append(" | ")
              .Append(string.Join(" | ", pairs.Select(p => $"{p.A} / {p.B}"))).AppendLine(" | runs |");
            sb.Append("|---|---|").Append(string.Concat(Enumerable.Repeat("---:|", impls.Length + pairs.Length))).AppendLine("---:|");
            foreach (var r in rows)
            {
                int runs = impls.Max(i => r.RunCount(i, i));
                sb.Append($"| {r.Name} | {r.Unit} | ").Append(string.Join(" | ", impls.Select(i => F(r.Median(i))))).Append(" | ")
                  .Append(string.Join(" | ", pairs.Select(p => R(r.Ratio(p.A, p.B))))).AppendLine($" | {runs} |");
            }
            sb.AppendLine();
            var png = Slug(table) + ".png";
            try
            {
                if (Plot(Path.Combine(dir, png), table, rows, pairs)) { sb.AppendLine($"![{table}]({png})"); sb.AppendLine(); }
            }
            catch (Exception e) { results.Log.Add($"plot {png} failed: {e.GetType().Name}: {e.Message}"); }
            if (table == Tables.Scaling)
            {
                var lines = "scaling-us-per-op.png";
                try { if (PlotScaling(Path.Combine(dir, lines), rows, impls)) { sb.AppendLine($"![µs per op vs size]({lines})"); sb.AppendLine(); } }
                catch (Exception e) { results.Log.Add($"plot {lines} failed: {e.Message}"); }
            }
        }
        sb.AppendLine("## Notes from this run");
        sb.AppendLine();
        if (results.Log.Count == 0) sb.AppendLine("(none)");
        foreach (var l in results.Log) sb.AppendLine("* " + l.Replace("\n", " "));
        sb.AppendLine();
        sb.AppendLine("How each scenario is measured, and what limits the misses: `design/benchmarks.md`.");
        File.WriteAllText(Path.Combine(dir, "report.md"), sb.ToString());
    }

    static bool Plot(string path, string title, List<Row> rows, (string A, string B)[] pairs)
    {
        if (pairs.Length == 0) return false;
        var plt = new ScottPlot.Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var bars = new List<ScottPlot.Bar>();
        int w = pairs.Length + 1;
        for (int r = 0; r < rows.Count; r++)
            for (int k = 0; k < pairs.Length; k++)
            {
                double v = rows[r].Ratio(pairs[k].A, pairs[k].B);
                if (double.IsNaN(v)) continue;
                bars.Add(new ScottPlot.Bar { Position = r * w + k, Value = v, FillColor = palette.GetColor(k), Label = v.ToString("0.00") });
            }
        if (bars.Count == 0) return false;
        var bp = plt.Add.Bars(bars);
        bp.ValueLabelStyle.FontSize = 10;
        var positions = rows.Select((_, r) => r * w + (pairs.Length - 1) / 2.0).ToArray();
        var labels = rows.Select(r => Wrap(r.Name, 22)).ToArray();
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, labels);
        plt.Axes.Bottom.MajorTickStyle.Length = 0;
        var one = plt.Add.HorizontalLine(1.0);
        one.LinePattern = ScottPlot.LinePattern.Dashed;
        one.Color = ScottPlot.Colors.Gray;
        for (int k = 0; k < pairs.Length; k++)
            plt.Legend.ManualItems.Add(new ScottPlot.LegendItem { LabelText = $"{pairs[k].A} / {pairs[k].B}", FillColor = palette.GetColor(k) });
        plt.ShowLegend(ScottPlot.Alignment.UpperRight);
        plt.Title(Wrap(title, 90));
        plt.YLabel("speed ratio (>1: first faster)");
        plt.Axes.Margins(bottom: 0, top: 0.2);
        plt.SavePng(path, Math.Max(900, rows.Count * 160), 560);
        return true;
    }

    static bool PlotScaling(string path, List<Row> rows, string[] impls)
    {
        var plt = new ScottPlot.Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var xs = Sizes.Scaling.Select(s => Math.Log2(s)).ToArray();
        int k = 0;
        foreach (var impl in impls)
        {
            var ys = rows.Select(r => r.Median(impl)).Select(v => double.IsNaN(v) ? double.NaN : Math.Log10(v)).ToArray();
            if (ys.Length != xs.Length || ys.All(double.IsNaN)) { k++; continue; }
            var sc = plt.Add.Scatter(xs, ys, palette.GetColor(k++));
            sc.LegendText = impl;
        }
        plt.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(xs, Sizes.Scaling.Select(s => Sizes.Human(s)).ToArray());
        var yt = Enumerable.Range(-2, 8).Select(e => (double)e).ToArray();
        plt.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(yt, yt.Select(e => Math.Pow(10, e).ToString("G4")).ToArray());
        plt.Title("µs per send+recv vs message size (log-log)");
        plt.YLabel("µs/op");
        plt.ShowLegend(ScottPlot.Alignment.UpperLeft);
        plt.SavePng(path, 900, 560);
        return true;
    }

    static string Wrap(string s, int width)
    {
        var sb = new StringBuilder();
        int line = 0;
        foreach (var word in s.Split(' '))
        {
            if (line > 0 && line + word.Length + 1 > width) { sb.Append('\n'); line = 0; }
            else if (line > 0) { sb.Append(' '); line++; }
            sb.Append(word);
            line += word.Length;
        }
        return sb.ToString();
    }
}
