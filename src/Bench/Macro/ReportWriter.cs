using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Sinkron.Bench.Macro;

/// <summary>
/// A run's (or a comparison's) report folder: <c>report.md</c>, <c>report.csv</c>, <c>report.json</c>
/// and PNG plots of throughput and p50/p95/p99 latency over time.
/// </summary>
internal static class ReportWriter
{
    public static readonly string[] Columns = ["run", "requests", "failures", "median ms", "p95 ms", "p99 ms", "average ms", "min ms", "max ms", "requests/s"];

    public static string[] Row(RunSummary s) =>
    [
        s.Label,
        s.Ok.ToString(CultureInfo.InvariantCulture),
        s.Failed.ToString(CultureInfo.InvariantCulture),
        F(s.PercentileMs(50)),
        F(s.PercentileMs(95)),
        F(s.PercentileMs(99)),
        F(s.All.TotalCount == 0 ? 0 : HdrHistogram.HistogramExtensions.GetMean(s.All) / 1000.0),
        F(s.All.TotalCount == 0 ? 0 : s.All.GetValueAtPercentile(0) / 1000.0),
        F(s.PercentileMs(100)),
        s.RequestsPerSecond.ToString("0", CultureInfo.InvariantCulture),
    ];

    public static string F(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    public static string MarkdownTable(IEnumerable<string[]> rows)
    {
        var text = new StringBuilder();
        text.AppendLine("| " + string.Join(" | ", Columns) + " |");
        text.AppendLine("|" + string.Concat(Enumerable.Repeat(" --- |", Columns.Length)));
        foreach (var row in rows)
        {
            text.AppendLine("| " + string.Join(" | ", row) + " |");
        }

        return text.ToString();
    }

    public static void Write(string folder, string title, IReadOnlyList<RunSummary> runs, IReadOnlyList<string[]> extraRows, string notes)
    {
        Directory.CreateDirectory(folder);
        var rows = runs.Select(Row).Concat(extraRows).ToList();
        var markdown = new StringBuilder();
        markdown.AppendLine($"# {title}");
        markdown.AppendLine();
        markdown.AppendLine(MarkdownTable(rows));
        markdown.AppendLine(notes);
        markdown.AppendLine();
        markdown.AppendLine("![throughput](throughput.png)");
        markdown.AppendLine();
        markdown.AppendLine("![latency](latency.png)");
        File.WriteAllText(Path.Combine(folder, "report.md"), markdown.ToString());

        var csv = new StringBuilder();
        csv.AppendLine(string.Join(',', Columns));
        foreach (var row in rows)
        {
            csv.AppendLine(string.Join(',', row));
        }

        File.WriteAllText(Path.Combine(folder, "report.csv"), csv.ToString());
        var json = runs.Select(r => new
        {
            run = r.Label,
            requests = r.Ok,
            failures = r.Failed,
            seconds = r.Measured.TotalSeconds,
            requestsPerSecond = r.RequestsPerSecond,
            p50Ms = r.PercentileMs(50),
            p95Ms = r.PercentileMs(95),
            p99Ms = r.PercentileMs(99),
            maxMs = r.PercentileMs(100),
            operations = r.Operations.Select(o => new { name = o.Name, ok = o.Ok, failed = o.Failed, timedOut = o.TimedOut, p50Ms = RunSummary.Ms(o.Total, 50), p99Ms = RunSummary.Ms(o.Total, 99) }),
            timeline = r.Timeline,
        });
        File.WriteAllText(Path.Combine(folder, "report.json"), JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
        Plots.Write(folder, runs);
    }
}
