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
          --rounds N                 run single and 3 nodes alternately N times, fresh clusters each, and
                                     report every round's ratios and their medians (default 1)
          --base-port P              first port; the two clusters use P and P+100 (default 7600)
          --report DIR               report folder (default bench-reports/compare-TIMESTAMP)
          --with-prototype-figures   add the Python prototype's published rows for reference
          --assert RULE              threshold on the 3-node run (with --rounds, the one of median throughput)
                                     (p99<10ms, rps>50000); a broken rule exits 1
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
        var rounds = 1;
        var rest = new List<string>();
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--base-port": basePort = PositiveInt(args, ++i); break;
                    case "--rounds": rounds = PositiveInt(args, ++i); break;
                    case "--report": report = ++i < args.Length ? args[i] : throw new FormatException("--report needs a folder"); break;
                    case "--with-prototype-figures": prototype = true; break;
                    default: rest.Add(args[i]); break;
                }
            }

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

        // Alternated, so a machine whose speed drifts during the run weighs on both sides alike.
        var measured = new List<CompareRound>();
        for (var round = 1; round <= rounds; round++)
        {
            var suffix = rounds > 1 ? $" #{round}" : "";
            var singleRun = await RunClusterAsync("single node" + suffix, single: true, basePort, options);
            var tripleRun = await RunClusterAsync("3 nodes" + suffix, single: false, basePort + 100, options);
            measured.Add(new CompareRound(singleRun, tripleRun));
        }

        var runs = CompareReport.Runs(measured);
        var setup = $"Lock scenario: each user loops acquire-exclusive -> release on a random name of 100,000; {options.Users} users started at " +
                    $"{options.Ramp:0.#}/s, {options.Warmup.TotalSeconds:0}s warm-up then {options.Duration.TotalSeconds:0}s measured; mTLS, fsync on; " +
                    $"nproc {Environment.ProcessorCount}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.";
        CompareReport.Publish(report, "Sinkron lock service: single node vs 3 nodes", runs, prototype ? PrototypeRows : [], setup,
            CompareRound.Describe(measured, "3-node / single") + CompareReport.CpuLines(runs));

        var triple = CompareRound.MedianSubject(measured);
        var broken = 0;
        foreach (var threshold in options.Thresholds)
        {
            var holds = threshold.Holds(triple);
            broken += holds ? 0 : 1;
            Console.WriteLine($"threshold {threshold.Text} ({triple.Label}): {(holds ? "ok" : "BROKEN")} (measured {threshold.Measure(triple):0.###})");
        }

        return broken == 0 ? 0 : 1;
    }

    internal static int PositiveInt(string[] args, int i) =>
        i < args.Length && int.TryParse(args[i], CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new FormatException($"{args[i - 1]} needs a positive whole number");

    private static async Task<RunSummary> RunClusterAsync(string label, bool single, int basePort, MacroOptions options)
    {
        await using var cluster = await LaunchedCluster.UpAsync(basePort, ["--only", "lock", .. single ? ["--single"] : Array.Empty<string>()]);
        await using var scenario = new LockScenario(cluster.LockNodes, cluster.Certs, options.Connections, options.LockNames > 0 ? options.LockNames : 100_000, mixed: false);
        return await new LoadRunner(scenario, options.Profile, label, Console.Out, new CpuMeter(cluster.Processes())).RunAsync(CancellationToken.None);
    }
}
