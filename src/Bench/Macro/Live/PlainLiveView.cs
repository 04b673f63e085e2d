namespace Sinkron.Bench.Macro.Live;

/// <summary>One line per second: what CI logs and redirected output get.</summary>
internal sealed class PlainLiveView(string label, TextWriter output) : ILiveView
{
    public Task<T> RunAsync<T>(Func<Action<LiveTick>, Task<T>> run) => run(tick => output.WriteLine(Line(label, tick)));

    public static string Line(string label, in LiveTick tick)
    {
        var point = tick.Point;
        return $"[{label}] {(tick.Measuring ? $"t={point.Second,5:0}s" : "warm-up ")} users={point.Users,4} rps={point.RequestsPerSecond,9:N0} " +
            $"p50={point.P50Ms,7:0.000}ms p95={point.P95Ms,7:0.000}ms p99={point.P99Ms,7:0.000}ms fail={point.Failures}";
    }
}
