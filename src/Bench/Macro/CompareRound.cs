using System.Globalization;
using System.Text;

namespace Sinkron.Bench.Macro;

/// <summary>One round of <c>compare</c>: the single-node run and the 3-node run that followed it.</summary>
internal sealed record CompareRound(RunSummary Single, RunSummary Triple)
{
    public double Throughput => Triple.RequestsPerSecond / Single.RequestsPerSecond;

    public double Median => Triple.PercentileMs(50) / Single.PercentileMs(50);

    public double P99 => Triple.PercentileMs(99) / Single.PercentileMs(99);

    /// <summary>
    /// The 3-node / single ratios: one line for a single round; with several, a line per round and
    /// the median of each ratio, which a noisy machine moves less than any one round.
    /// </summary>
    public static string Describe(IReadOnlyList<CompareRound> rounds)
    {
        var text = new StringBuilder();
        if (rounds.Count == 1)
        {
            text.AppendLine(Line("3-node / single", rounds[0].Throughput, rounds[0].Median, rounds[0].P99));
            return text.ToString();
        }

        for (var i = 0; i < rounds.Count; i++)
        {
            text.AppendLine(Line($"round {i + 1}: 3-node / single", rounds[i].Throughput, rounds[i].Median, rounds[i].P99));
        }

        text.AppendLine(Line($"median of {rounds.Count} rounds", MedianOf(rounds, r => r.Throughput), MedianOf(rounds, r => r.Median), MedianOf(rounds, r => r.P99)));
        return text.ToString();
    }

    /// <summary>The 3-node run of median throughput: what thresholds are checked against.</summary>
    public static RunSummary MedianTriple(IReadOnlyList<CompareRound> rounds) =>
        rounds.Select(r => r.Triple).OrderBy(t => t.RequestsPerSecond).ElementAt(rounds.Count / 2);

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
