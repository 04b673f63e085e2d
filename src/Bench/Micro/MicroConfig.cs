using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Sinkron.Bench.Micro;

/// <summary>
/// The shared micro-benchmark configuration: MemoryDiagnoser on every benchmark, workstation
/// non-concurrent GC so allocation counts are exact, in-process so a run takes seconds.
/// <c>--job short</c> (default) or <c>--job dry</c> (the CI smoke: one warm iteration) choose the length.
/// </summary>
internal static class MicroConfig
{
    public const string ZeroAlloc = "ZeroAlloc";

    /// <summary>Benchmarks that fsync: left out of <c>--job dry</c>, whose fixed 65,536 invocations would each wait for the disk.</summary>
    public const string Disk = "Disk";

    public static IConfig Create(string job)
    {
        var baseJob = job switch
        {
            // A dry run that still warms up: allocation counts from a cold single call include one-time JIT work.
            "dry" => Job.Dry.WithStrategy(RunStrategy.Throughput).WithWarmupCount(1).WithIterationCount(1).WithInvocationCount(65536).WithUnrollFactor(16),
            "medium" => Job.MediumRun,
            _ => Job.ShortRun,
        };
        var config = ManualConfig.CreateMinimumViable();
        if (job == "dry")
        {
            config.AddFilter(new SimpleFilter(b => !b.Descriptor.Categories.Contains(Disk)));
        }

        return config
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddJob(baseJob.WithGcServer(false).WithGcConcurrent(false).WithToolchain(InProcessEmitToolchain.Instance))
            .WithOptions(ConfigOptions.DisableLogFile | ConfigOptions.JoinSummary);
    }
}
