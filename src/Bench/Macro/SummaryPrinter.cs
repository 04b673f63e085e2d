namespace Sinkron.Bench.Macro;

/// <summary>The end-of-run table: one row per operation and one for all.</summary>
internal static class SummaryPrinter
{
    public static void Print(RunSummary summary, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"{summary.Label}: measured {summary.Measured.TotalSeconds:0.0} s");
        output.WriteLine($"{"operation",-12} {"ok",10} {"failed",7} {"ops/s",10} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8}");
        foreach (var operation in summary.Operations)
        {
            Row(output, operation.Name, operation.Ok, operation.Failed + operation.TimedOut, operation.Ok / summary.Measured.TotalSeconds, operation.Total);
        }

        Row(output, "all", summary.Ok, summary.Failed, summary.RequestsPerSecond, summary.All);
    }

    private static void Row(TextWriter output, string name, long ok, long failed, double rate, HdrHistogram.HistogramBase histogram)
        => output.WriteLine($"{name,-12} {ok,10} {failed,7} {rate,10:N0} {RunSummary.Ms(histogram, 50),8:0.000} {RunSummary.Ms(histogram, 95),8:0.000} " +
                            $"{RunSummary.Ms(histogram, 99),8:0.000} {RunSummary.Ms(histogram, 100),8:0.000}");
}
