namespace Sinkron.Bench.Macro;

/// <summary>What <c>compare</c> and <c>queue-compare</c> both print and write once their rounds have run.</summary>
internal static class CompareReport
{
    /// <summary>Every round's baseline and subject runs, in the order they ran.</summary>
    public static List<RunSummary> Runs(IEnumerable<CompareRound> rounds) => [.. rounds.SelectMany(r => (RunSummary[])[r.Baseline, r.Subject])];

    /// <summary>A line per run: the CPU each process spent per operation in its measured window.</summary>
    public static string CpuLines(IEnumerable<RunSummary> runs) =>
        string.Concat(runs.Select(r => $"{r.Label}: {CpuUse.PerOperation(r.Cpu, r.Ok, r.Measured)}\n"));

    /// <summary>
    /// Writes the report folder (its notes: <paramref name="setup"/>, then <paramref name="findings"/>) and prints the
    /// side-by-side table, the findings and where the report is.
    /// </summary>
    public static void Publish(string report, string title, IReadOnlyList<RunSummary> runs, string[][] extraRows, string setup, string findings)
    {
        ReportWriter.Write(report, title, runs, extraRows, $"{setup}\n\n{findings}");
        Console.WriteLine();
        Console.WriteLine(ReportWriter.MarkdownTable([.. runs.Select(ReportWriter.Row), .. extraRows]));
        Console.Write(findings);
        Console.WriteLine($"report: {Path.GetFullPath(report)}");
    }
}
