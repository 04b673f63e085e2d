namespace Sinkron.Bench.Macro;

/// <summary>Throughput and latency over time, one line per run, as PNG (ScottPlot).</summary>
internal static class Plots
{
    public static void Write(string folder, IReadOnlyList<RunSummary> runs)
    {
        var throughput = new ScottPlot.Plot();
        var latency = new ScottPlot.Plot();
        foreach (var run in runs)
        {
            var seconds = run.Timeline.Select(p => p.Second).ToArray();
            if (seconds.Length == 0)
            {
                continue;
            }

            throughput.Add.Scatter(seconds, run.Timeline.Select(p => p.RequestsPerSecond).ToArray()).LegendText = run.Label;
            latency.Add.Scatter(seconds, run.Timeline.Select(p => p.P50Ms).ToArray()).LegendText = $"{run.Label} p50";
            latency.Add.Scatter(seconds, run.Timeline.Select(p => p.P95Ms).ToArray()).LegendText = $"{run.Label} p95";
            latency.Add.Scatter(seconds, run.Timeline.Select(p => p.P99Ms).ToArray()).LegendText = $"{run.Label} p99";
        }

        throughput.Title("Throughput");
        throughput.XLabel("seconds");
        throughput.YLabel("requests/s");
        throughput.ShowLegend();
        latency.Title("Latency");
        latency.XLabel("seconds");
        latency.YLabel("ms");
        latency.ShowLegend();
        throughput.SavePng(Path.Combine(folder, "throughput.png"), 900, 450);
        latency.SavePng(Path.Combine(folder, "latency.png"), 900, 450);
    }
}
