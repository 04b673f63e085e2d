namespace Sinkron.Bench.Macro.Live;

/// <summary>What the load generator shows each second: the last second's figures and where the run is.</summary>
/// <param name="Point">The last second: users, requests/s, latency percentiles, failures so far.</param>
/// <param name="Measuring">False during warm-up.</param>
/// <param name="Elapsed">Time since the run started, warm-up included.</param>
/// <param name="Total">Warm-up plus measured window.</param>
/// <param name="TargetUsers">Users the profile ramps up to.</param>
internal readonly record struct LiveTick(TimelinePoint Point, bool Measuring, TimeSpan Elapsed, TimeSpan Total, int TargetUsers);
