using System.Diagnostics;

namespace Sinkron.Nodes.Hosting;

/// <summary>
/// The latest operation latencies in a fixed ring, for p50/p99 on demand: recording is a store,
/// the sort happens only when someone asks for stats. Not thread-safe: its owner guards it (the cache lock, the Raft loop's gate).
/// </summary>
internal sealed class LatencyWindow
{
    private readonly long[] samples = new long[2048];
    private readonly long[] scratch = new long[2048];
    private long recorded;

    public void Record(long startedTicks) => RecordElapsed(Stopwatch.GetTimestamp() - startedTicks);

    /// <summary>Records a latency measured elsewhere, in <see cref="Stopwatch"/> ticks.</summary>
    public void RecordElapsed(long ticks) => samples[recorded++ % samples.Length] = ticks;

    /// <summary>The latency at <paramref name="quantile"/> (0..1) in microseconds; 0 before any sample.</summary>
    public uint PercentileMicroseconds(double quantile)
    {
        var count = (int)Math.Min(recorded, samples.Length);
        if (count == 0)
        {
            return 0;
        }

        samples.AsSpan(0, count).CopyTo(scratch);
        var sorted = scratch.AsSpan(0, count);
        sorted.Sort();
        var ticks = sorted[Math.Min(count - 1, (int)(quantile * count))];
        return (uint)Math.Min(uint.MaxValue, ticks * 1_000_000 / Stopwatch.Frequency);
    }
}
