using Sinkron.Bench.Macro.Scenarios;

namespace Sinkron.Bench.Macro;

/// <summary><c>sinkron-bench macro</c>: one scenario, one profile, a summary and the thresholds' verdict.</summary>
internal static class MacroCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(MacroOptions.Help);
            return 0;
        }

        MacroOptions options;
        CpuMeter? cpu;
        try
        {
            options = MacroOptions.Parse(args);
            cpu = options.CpuOf is { } launched ? new CpuMeter(LauncherProcesses.Read(launched)) : null;
        }
        catch (FormatException ex)
        {
            await Console.Error.WriteLineAsync($"sinkron-bench macro: {ex.Message}\n\n{MacroOptions.Help}");
            return 2;
        }

        await using var hosted = options.Nodes.Count == 0 && options.Redis.Count == 0 ? await StartNodesAsync(options) : null;
        var nodes = hosted?.Endpoints ?? options.Nodes;
        var certs = options.Certs ?? hosted?.Certs ?? "";
        await using IScenario scenario = options.Scenario switch
        {
            "wire" => new WireScenario(nodes[0], certs, options.Connections),
            "lock" => new LockScenario(nodes, certs, options.Connections, options.LockNames > 0 ? options.LockNames : 100_000, mixed: false),
            "lock-contended" => new LockScenario(nodes, certs, options.Connections, options.LockNames > 0 ? options.LockNames : 8, mixed: false),
            "queue-produce" => new QueueProduceScenario(nodes[0], certs, options.Connections, 30),
            "queue-produce-direct" => new QueueProduceDirectScenario(options.Redis, 30),
            "queue-consume" => new QueueConsumeScenario(nodes[0], certs, options.Connections,
                new QueueBacklog(options.Redis, 30, options.Prefill, options.Users), options.Batch),
            "queue-consume-direct" => new QueueConsumeDirectScenario(new QueueBacklog(options.Redis, 30, options.Prefill, options.Users), options.Batch),
            "lock-mixed" => new LockScenario(nodes, certs, options.Connections, options.LockNames > 0 ? options.LockNames : 1000, mixed: true),
            "cache" => new CacheScenario(nodes, certs, options.Connections, new KeyChooser(options.Keys > 0 ? options.Keys : 10_000, options.Skew), options.ReadRatio),
            "cache-hit" => new CacheHitScenario(nodes, certs, options.Connections, options.Keys > 0 ? options.Keys : 1000),
            "cache-invalidate" => new CacheInvalidateScenario(nodes, certs, options.Connections),
            _ => throw new NotSupportedException($"unknown scenario '{options.Scenario}'"),
        };

        var label = options.Label ?? options.Scenario;
        var summary = await new LoadRunner(scenario, options.Profile, label, Console.Out, cpu).RunAsync(CancellationToken.None);
        SummaryPrinter.Print(summary, Console.Out);
        var cpuLine = CpuUse.PerOperation(summary.Cpu, summary.Ok, summary.Measured);
        if (cpuLine.Length > 0)
        {
            Console.WriteLine(cpuLine);
        }

        if (options.Report is { } report)
        {
            ReportWriter.Write(report, $"Sinkron {label}", [summary], [],
                $"{options.Users} users, {options.Connections} connections, {options.Duration.TotalSeconds:0}s measured; nproc {Environment.ProcessorCount}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.\n\n{cpuLine}");
            Console.WriteLine($"report: {Path.GetFullPath(report)}");
        }

        return ThresholdVerdict(options, summary);
    }

    private static Task<SelfHostedNodes> StartNodesAsync(MacroOptions options) => options.Scenario switch
    {
        "wire" => SelfHostedNodes.StartAsync("cache", 1),
        "lock" or "lock-contended" or "lock-mixed" => SelfHostedNodes.StartAsync("lock", options.ClusterSize),
        "cache" or "cache-hit" or "cache-invalidate" => SelfHostedNodes.StartAsync("cache", 3),
        _ => throw new NotSupportedException($"scenario '{options.Scenario}' needs --nodes"),
    };

    private static int ThresholdVerdict(MacroOptions options, RunSummary summary)
    {
        var broken = 0;
        foreach (var threshold in options.Thresholds)
        {
            var holds = threshold.Holds(summary);
            broken += holds ? 0 : 1;
            Console.WriteLine($"threshold {threshold.Text}: {(holds ? "ok" : "BROKEN")} (measured {threshold.Measure(summary):0.###})");
        }

        return broken == 0 ? 0 : 1;
    }
}
