namespace Sinkron.Bench.Macro;

/// <summary>
/// How load is applied. Closed model: <see cref="Users"/> virtual users, started at
/// <see cref="RampPerSecond"/> users/s (0 = all at once), each looping step → answer → step.
/// Open model (<see cref="Rate"/> &gt; 0): steps start on a fixed schedule of Rate per second,
/// whether or not earlier ones finished, and latency counts from the scheduled start, so a
/// stalled server cannot hide its stall (no coordinated omission).
/// </summary>
internal sealed record LoadProfile(int Users, double RampPerSecond, TimeSpan Warmup, TimeSpan Duration, double Rate)
{
    public bool IsOpen => Rate > 0;
}
