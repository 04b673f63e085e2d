using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Sinkron.Bench.Micro;

/// <summary>
/// Runs the BenchmarkDotNet suite and enforces the zero-allocation gate: any benchmark in the
/// <see cref="MicroConfig.ZeroAlloc"/> category that allocates makes the run exit 1.
/// </summary>
internal static class MicroRunner
{
    public static int Run(string[] args)
    {
        var job = "short";
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--job" && i + 1 < args.Length)
            {
                job = args[++i];
            }
            else
            {
                rest.Add(args[i]);
            }
        }

        if (!rest.Contains("--filter") && !rest.Contains("--anyCategories") && !rest.Contains("--allCategories"))
        {
            rest.AddRange(["--filter", "*"]);
        }

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(MicroRunner).Assembly).Run([.. rest], MicroConfig.Create(job));
        var failures = 0;
        foreach (var summary in summaries)
        {
            foreach (var report in summary.Reports)
            {
                failures += CheckZeroAlloc(report);
            }
        }

        if (failures > 0)
        {
            Console.Error.WriteLine($"zero-allocation gate: {failures} ZeroAlloc benchmark(s) allocated");
            return 1;
        }

        Console.WriteLine("zero-allocation gate: passed");
        return 0;
    }

    private static int CheckZeroAlloc(BenchmarkReport report)
    {
        if (!report.BenchmarkCase.Descriptor.Categories.Contains(MicroConfig.ZeroAlloc))
        {
            return 0;
        }

        if (!report.Success || report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) is not { } bytes)
        {
            Console.Error.WriteLine($"zero-allocation gate: {report.BenchmarkCase.DisplayInfo} did not run");
            return 1;
        }

        if (bytes > 0)
        {
            Console.Error.WriteLine($"zero-allocation gate: {report.BenchmarkCase.DisplayInfo} allocates {bytes} B/op");
            return 1;
        }

        return 0;
    }
}
