using System.Globalization;
using Sinkron.Bench.Macro.Scenarios;

namespace Sinkron.Bench.Macro;

/// <summary>
/// <c>sinkron-bench compare</c>: the single-node vs 3-node experiment. Starts each lock cluster
/// through run-cluster.sh on its own base port and data folder, runs the same lock load on each,
/// and writes the side-by-side table, the 3-node/single ratios and overlay plots.
/// </summary>
internal static class CompareCommand
{
    public const string Help = """
        sinkron-bench compare: single-node vs 3-node lock cluster, same load, side by side.

          --users N                  virtual users (default 100)
          --ramp R                   users started per second (default 10, as the prototype's test)
          --warmup T                 unmeasured start, covering the ramp and the fresh nodes' JIT tier-up (default 30s)
          --duration T               measured window (default 60s)
          --connections N            client connections (sessions) the users share (default 4)
          --base-port P              first port; the two clusters use P and P+100 (default 7600)
          --report DIR               report folder (default bench-reports/compare-TIMESTAMP)
          --with-prototype-figures   add the Python prototype's published rows for reference
          --assert RULE              threshold on the 3-node run (p99<10ms, rps>50000); a broken rule exits 1
        """;

    private static readonly string[][] PrototypeRows =
    [
        ["python prototype, 1 node", "-", "0", "800", "1900", "2700", "-", "-", "-", "57.4"],
        ["python prototype, 3 nodes", "-", "0", "3200", "4700", "5900", "-", "-", "-", "23.0"],
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(Help);
            return 0;
        }

        var options = new MacroOptions { Users = 100, Ramp = 10, Warmup = TimeSpan.FromSeconds(30), Duration = TimeSpan.FromSeconds(60) };
        var basePort = 7600;
        var report = Path.Combine("bench-reports", "compare-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        var prototype = false;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--base-port": basePort = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--report": report = args[++i]; break;
                case "--with-prototype-figures": prototype = true; break;
                default: rest.Add(args[i]); break;
            }
        }

        try
        {
            var parsed = MacroOptions.Parse(rest);
            parsed.Users = rest.Contains("--users") ? parsed.Users : options.Users;
            parsed.Ramp = rest.Contains("--ramp") ? parsed.Ramp : options.Ramp;
            parsed.Warmup = rest.Contains("--warmup") ? parsed.Warmup : options.Warmup;
            parsed.Duration = rest.Contains("--duration") ? parsed.Duration : options.Duration;
            options = parsed;
        }
        catch (FormatException ex)
        {
            await Console.Error.WriteLineAsync($"sinkron-bench compare: {ex.Message}\n\n{Help}");
            return 2;
        }

        var single = await RunClusterAsync("single node", single: true, basePort, options);
        var triple = await RunClusterAsync("3 nodes", single: false, basePort + 100, options);
        var ratios = $"3-node / single: throughput {triple.RequestsPerSecond / single.RequestsPerSecond:0.00}, " +
                     $"median latency {triple.PercentileMs(50) / single.PercentileMs(50):0.00}, p99 {triple.PercentileMs(99) / single.PercentileMs(99):0.00}";
        var notes = $"Lock scenario: each user loops acquire-exclusive -> release on a random name of 100,000; {options.Users} users started at " +
                    $"{options.Ramp:0.#}/s, {options.Warmup.TotalSeconds:0}s warm-up then {options.Duration.TotalSeconds:0}s measured; mTLS, fsync on; " +
                    $"nproc {Environment.ProcessorCount}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.\n\n{ratios}";
        ReportWriter.Write(report, "Sinkron lock service: single node vs 3 nodes", [single, triple], prototype ? PrototypeRows : [], notes);

        Console.WriteLine();
        Console.WriteLine(ReportWriter.MarkdownTable([ReportWriter.Row(single), ReportWriter.Row(triple), .. prototype ? PrototypeRows : []]));
        Console.WriteLine(ratios);
        Console.WriteLine($"report: {Path.GetFullPath(report)}");

        var broken = 0;
        foreach (var threshold in options.Thresholds)
        {
            var holds = threshold.Holds(triple);
            broken += holds ? 0 : 1;
            Console.WriteLine($"threshold {threshold.Text} (3 nodes): {(holds ? "ok" : "BROKEN")} (measured {threshold.Measure(triple):0.###})");
        }

        return broken == 0 ? 0 : 1;
    }

    private static async Task<RunSummary> RunClusterAsync(string label, bool single, int basePort, MacroOptions options)
    {
        await using var cluster = await LaunchedCluster.UpAsync(basePort, ["--only", "lock", .. single ? ["--single"] : Array.Empty<string>()]);
        await using var scenario = new LockScenario(cluster.LockNodes, cluster.Certs, options.Connections, options.LockNames > 0 ? options.LockNames : 100_000, mixed: false);
        return await new LoadRunner(scenario, options.Profile, label, Console.Out).RunAsync(CancellationToken.None);
    }
}
