using System.Diagnostics;
using Sinkron.Bench.Macro.Live;

namespace Sinkron.Bench.Macro;

/// <summary>
/// Drives a scenario with a load profile, shows each second live, and returns the measured window's
/// totals, with the CPU the given processes spent in that window when a <see cref="CpuMeter"/> is given.
/// </summary>
internal sealed class LoadRunner(IScenario scenario, LoadProfile profile, string label, TextWriter output, CpuMeter? cpu = null)
{
    private readonly List<OperationStats> _operations = [.. scenario.Operations.Select(name => new OperationStats(name))];
    private int _activeUsers;

    public async Task<RunSummary> RunAsync(CancellationToken cancellationToken)
    {
        await scenario.SetupAsync(cancellationToken);
        var context = new ScenarioContext(_operations);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var started = Stopwatch.GetTimestamp();
        var load = profile.IsOpen ? RunOpenAsync(context, stop.Token) : RunClosedAsync(context, stop.Token);

        var (timeline, measured, used) = await LiveViews.For(label, output).RunAsync(show => WatchAsync(started, show, cancellationToken));
        await stop.CancelAsync();
        await load;
        return new RunSummary(label, _operations, measured, timeline) { Cpu = used };
    }

    /// <summary>Samples once a second until the run is over; resets the stats when the warm-up ends.</summary>
    private async Task<(List<TimelinePoint> Timeline, TimeSpan Measured, IReadOnlyList<CpuUse> Cpu)> WatchAsync(long started, Action<LiveTick> show, CancellationToken cancellationToken)
    {
        var timeline = new List<TimelinePoint>();
        var total = profile.Warmup + profile.Duration;

        // Whole-second ticks counted from the start, not clock comparisons: a timer that fires a
        // millisecond early must not move the end of warm-up a whole second and shorten the window.
        var warmupTicks = (int)Math.Ceiling(profile.Warmup.TotalSeconds);
        var totalTicks = warmupTicks + Math.Max(1, (int)Math.Ceiling(profile.Duration.TotalSeconds));
        var warm = warmupTicks == 0;
        var measuredFrom = warm ? started : 0L;
        if (warm)
        {
            cpu?.Start();
        }

        for (var tick = 1; tick <= totalTicks && !cancellationToken.IsCancellationRequested; tick++)
        {
            var due = TimeSpan.FromSeconds(tick) - Stopwatch.GetElapsedTime(started);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, CancellationToken.None);
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            var point = Sample(warm ? Stopwatch.GetElapsedTime(measuredFrom) : TimeSpan.Zero);
            show(new LiveTick(point, warm, elapsed, total, profile.Users));
            if (warm)
            {
                timeline.Add(point);
            }
            else if (tick >= warmupTicks)
            {
                foreach (var operation in _operations)
                {
                    operation.Reset();
                }

                warm = true;
                measuredFrom = Stopwatch.GetTimestamp();
                cpu?.Start();
            }
        }

        var measured = Stopwatch.GetElapsedTime(measuredFrom);
        var used = cpu?.Stop() ?? [];
        foreach (var operation in _operations)
        {
            operation.TakeInterval();
        }

        return (timeline, measured, used);
    }

    private async Task RunClosedAsync(ScenarioContext context, CancellationToken stop)
    {
        var users = new List<Task>(profile.Users);
        var rampDelay = profile.RampPerSecond > 0 ? TimeSpan.FromSeconds(1 / profile.RampPerSecond) : TimeSpan.Zero;
        var clock = Stopwatch.GetTimestamp();
        for (var user = 0; user < profile.Users && !stop.IsCancellationRequested; user++)
        {
            if (rampDelay > TimeSpan.Zero)
            {
                var due = rampDelay * user - Stopwatch.GetElapsedTime(clock);
                if (due > TimeSpan.Zero)
                {
                    try
                    {
                        await Task.Delay(due, stop);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            }

            users.Add(UserLoopAsync(user, context, stop));
        }

        await Task.WhenAll(users);
    }

    private async Task UserLoopAsync(int user, ScenarioContext context, CancellationToken stop)
    {
        Interlocked.Increment(ref _activeUsers);
        await Task.Yield();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await scenario.StepAsync(user, context, Stopwatch.GetTimestamp(), stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            Interlocked.Decrement(ref _activeUsers);
        }
    }

    private async Task RunOpenAsync(ScenarioContext context, CancellationToken stop)
    {
        var inFlight = new List<Task>();
        var interval = Stopwatch.Frequency / profile.Rate;
        var start = Stopwatch.GetTimestamp();
        long issued = 0;
        while (!stop.IsCancellationRequested)
        {
            var now = Stopwatch.GetTimestamp();
            var due = (long)((now - start) / interval);
            for (; issued <= due; issued++)
            {
                var intended = start + (long)(issued * interval);
                inFlight.Add(OneOpenStepAsync((int)(issued % Math.Max(profile.Users, 1)), context, intended, stop));
            }

            inFlight.RemoveAll(static t => t.IsCompleted);
            Volatile.Write(ref _activeUsers, inFlight.Count);
            try
            {
                await Task.Delay(1, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await Task.WhenAll(inFlight);
    }

    private async Task OneOpenStepAsync(int user, ScenarioContext context, long intended, CancellationToken stop)
    {
        try
        {
            await scenario.StepAsync(user, context, intended, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private TimelinePoint Sample(TimeSpan measured)
    {
        var merged = new HdrHistogram.LongHistogram(120_000_000, 3);
        long failures = 0;
        foreach (var operation in _operations)
        {
            merged.Add(operation.TakeInterval());
            failures += operation.Failed + operation.TimedOut;
        }

        return new TimelinePoint(measured.TotalSeconds, Volatile.Read(ref _activeUsers), merged.TotalCount,
            RunSummary.Ms(merged, 50), RunSummary.Ms(merged, 95), RunSummary.Ms(merged, 99), failures);
    }
}
