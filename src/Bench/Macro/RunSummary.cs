using HdrHistogram;

namespace Sinkron.Bench.Macro;

/// <summary>One second of a run, for the live line and the plots.</summary>
internal readonly record struct TimelinePoint(double Second, int Users, double RequestsPerSecond, double P50Ms, double P95Ms, double P99Ms, long Failures);

/// <summary>The totals of a measured window: per operation and over all operations.</summary>
internal sealed class RunSummary(string label, IReadOnlyList<OperationStats> operations, TimeSpan measured, IReadOnlyList<TimelinePoint> timeline)
{
    private LongHistogram? _all;

    public string Label { get; } = label;

    public IReadOnlyList<OperationStats> Operations { get; } = operations;

    public TimeSpan Measured { get; } = measured;

    public IReadOnlyList<TimelinePoint> Timeline { get; } = timeline;

    /// <summary>CPU per process over the measured window, when the run measured it.</summary>
    public IReadOnlyList<CpuUse> Cpu { get; init; } = [];

    public long Ok => Sum(static o => o.Ok);

    public long Failed => Sum(static o => o.Failed + o.TimedOut);

    public double RequestsPerSecond => PerSecond(Ok);

    /// <summary>Successes per second of the operation named <paramref name="operation"/>.</summary>
    public double RateOf(string operation) => PerSecond(Operations.Single(o => o.Name == operation).Ok);

    public double FailurePercent => Ok + Failed == 0 ? 0 : 100.0 * Failed / (Ok + Failed);

    /// <summary>All operations' latencies together.</summary>
    public LongHistogram All
    {
        get
        {
            if (_all is null)
            {
                _all = new LongHistogram(120_000_000, 3);
                foreach (var operation in Operations)
                {
                    _all.Add(operation.Total);
                }
            }

            return _all;
        }
    }

    public double PercentileMs(double percentile) => Ms(All, percentile);

    public static double Ms(HistogramBase histogram, double percentile)
        => histogram.TotalCount == 0 ? 0 : histogram.GetValueAtPercentile(percentile) / 1000.0;

    private double PerSecond(long count) => count / Math.Max(Measured.TotalSeconds, 1e-9);

    private long Sum(Func<OperationStats, long> pick)
    {
        long total = 0;
        foreach (var operation in Operations)
        {
            total += pick(operation);
        }

        return total;
    }
}
