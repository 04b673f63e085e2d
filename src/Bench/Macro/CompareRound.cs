using System.Globalization;
using System.Text;

namespace Sinkron.Bench.Macro;

/// <summary>
/// One round of an alternated comparison: the baseline run and the run measured against it, right after it
/// (<c>compare</c>: a single node, then 3 nodes; <c>queue-compare</c>: straight to Redis, then through the router).
/// Throughput counts every operation, or only <paramref name="Operation"/> (a consume's messages, not its calls).
/// </summary>
internal sealed record CompareRound(RunSummary Baseline, RunSummary Subject, string? Operation = null)
{
    public double Throughput => Rate(Subject) / Rate(Baseline);

    public double Median => Subject.PercentileMs(50) / Baseline.PercentileMs(50);

    public double P99 => Subject.PercentileMs(99) / Baseline.PercentileMs(99);

    private double Rate(RunSummary run) => Operation is null ? run.RequestsPerSecond : run.RateOf(Operation);

    /// <summary>
    /// The subject / baseline ratios, named <paramref name="what"/>: one line for a single round; with several, a
    /// line per round and the median of each ratio, which a noisy machine moves less than any one round.
    /// </summary>
    public static string Describe(IReadOnlyList<CompareRound> rounds, string what)
    {
        var text = new StringBuilder();
        if (rounds.Count == 1)
        {
            text.AppendLine(Line(what, rounds[0].Throughput, rounds[0].Median, rounds[0].P99));
            return text.ToString();
        }

        for (var i = 0; i < rounds.Count; i++)
        {
            text.AppendLine(Line($"round {i + 1}: {what}", rounds[i].Throughput, rounds[i].Median, rounds[i].P99));
        }

        text.AppendLine(Line($"median of {rounds.Count} rounds", MedianOf(rounds, r => r.Throughput), MedianOf(rounds, r => r.Median), MedianOf(rounds, r => r.P99)));
        return text.ToString();
    }

    /// <summary>The subject run of median throughput: what thresholds are checked against.</summary>
    public static RunSummary MedianSubject(IReadOnlyList<CompareRound> rounds) =>
        rounds.Select(r => r.Subject).OrderBy(t => t.RequestsPerSecond).ElementAt(rounds.Count / 2);

    private static double MedianOf(IReadOnlyList<CompareRound> rounds, Func<CompareRound, double> ratio)
    {
        var sorted = rounds.Select(ratio).Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static string Line(string what, double throughput, double median, double p99) => string.Create(
        CultureInfo.InvariantCulture,
        $"{what}: throughput {throughput:0.00}, median latency {median:0.00}, p99 {p99:0.00}");
}
