using System.Globalization;

namespace Sinkron.Bench.Macro;

/// <summary>
/// A pass/fail rule on the run's totals, written <c>p99&lt;10ms</c>, <c>p50&lt;500us</c>,
/// <c>rps&gt;50000</c> or <c>fail&lt;1%</c>; a broken rule makes the run exit 1.
/// </summary>
internal sealed record Threshold(string Text, string Metric, bool LessThan, double Limit)
{
    public static Threshold Parse(string text)
    {
        var at = text.IndexOfAny(['<', '>']);
        if (at <= 0)
        {
            throw new FormatException($"threshold '{text}' must look like p99<10ms, rps>50000 or fail<1%");
        }

        var metric = text[..at].Trim().ToLowerInvariant();
        var value = text[(at + 1)..].Trim().ToLowerInvariant();
        var scale = 1.0;
        foreach (var (suffix, factor) in (ReadOnlySpan<(string, double)>)[("ms", 1.0), ("us", 0.001), ("s", 1000.0), ("%", 1.0)])
        {
            if (value.EndsWith(suffix, StringComparison.Ordinal))
            {
                value = value[..^suffix.Length];
                scale = factor;
                break;
            }
        }

        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var limit)
            || (metric is not ("rps" or "fail") && !metric.StartsWith('p')))
        {
            throw new FormatException($"threshold '{text}' must look like p99<10ms, rps>50000 or fail<1%");
        }

        return new Threshold(text, metric, text[at] == '<', limit * scale);
    }

    /// <summary>The measured value in the threshold's unit (ms for percentiles, % for fail, ops/s for rps).</summary>
    public double Measure(RunSummary summary) => Metric switch
    {
        "rps" => summary.RequestsPerSecond,
        "fail" => summary.FailurePercent,
        _ => summary.PercentileMs(double.Parse(Metric[1..], CultureInfo.InvariantCulture)),
    };

    public bool Holds(RunSummary summary) => LessThan ? Measure(summary) < Limit : Measure(summary) > Limit;
}
