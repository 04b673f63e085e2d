using HdrHistogram;

namespace Sinkron.Bench.Macro;

/// <summary>
/// Latencies (µs, HdrHistogram) and outcome counts of one operation. Users record concurrently
/// through a <see cref="Recorder"/>; the reporter takes an interval histogram each second and
/// folds it into the run's total.
/// </summary>
internal sealed class OperationStats(string name)
{
    private const long MaxMicros = 120_000_000;

    private readonly Recorder _recorder = new(1, MaxMicros, 3, (id, low, high, digits) => new LongHistogram(id, low, high, digits));
    private long _ok;
    private long _failed;
    private long _timedOut;

    public string Name { get; } = name;

    public LongHistogram Total { get; } = new(MaxMicros, 3);

    public long Ok => Interlocked.Read(ref _ok);

    public long Failed => Interlocked.Read(ref _failed);

    public long TimedOut => Interlocked.Read(ref _timedOut);

    public void RecordOk(long micros)
    {
        _recorder.RecordValue(Math.Clamp(micros, 1, MaxMicros));
        Interlocked.Increment(ref _ok);
    }

    public void RecordFailure(bool timeout)
    {
        if (timeout)
        {
            Interlocked.Increment(ref _timedOut);
        }
        else
        {
            Interlocked.Increment(ref _failed);
        }
    }

    /// <summary>The latencies since the previous call, also added to <see cref="Total"/>.</summary>
    public HistogramBase TakeInterval()
    {
        var interval = _recorder.GetIntervalHistogram();
        Total.Add(interval);
        return interval;
    }

    /// <summary>Forgets everything recorded so far (the end of warm-up).</summary>
    public void Reset()
    {
        _recorder.GetIntervalHistogram();
        Total.Reset();
        Interlocked.Exchange(ref _ok, 0);
        Interlocked.Exchange(ref _failed, 0);
        Interlocked.Exchange(ref _timedOut, 0);
    }
}
