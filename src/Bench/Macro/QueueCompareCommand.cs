using System.Globalization;
using Sinkron.Bench.Macro.Scenarios;
using Sinkron.Nodes.Queues;
using Sinkron.Wire.Transport;

namespace Sinkron.Bench.Macro;

/// <summary>
/// <c>sinkron-bench queue-compare</c>: the queue service's target, measured in one run. Starts a queue cluster
/// (router and three redis-servers) through run-cluster.sh, then alternates the same load straight to the
/// redis-servers with StackExchange.Redis and through the router, for produce and for consume+ack, and prints the
/// router / direct ratios per round and their medians, with every process's CPU per operation.
/// </summary>
internal static class QueueCompareCommand
{
    public const string Help = """
        sinkron-bench queue-compare: queue router vs the same load straight to Redis, alternated.

          --users N          virtual users (default 100)
          --connections N    client connections to the router the users share (default 4)
          --warmup T         unmeasured start of each run, covering the fresh router's JIT tier-up (default 10s)
          --duration T       measured window of each run (default 10s)
          --rounds N         direct and router runs alternated N times on one cluster (default 3)
          --only WHAT        produce or consume (default both)
          --prefill N        messages prepared for each consume run (default 200000 per second of
                             warm-up and window: 4000000 with the defaults)
          --batch N          messages per consume+ack (default 10)
          --base-port P      the cluster's base port (default 7700)
          --report DIR       report folder (default bench-reports/queue-compare-TIMESTAMP)
          --assert RULE      threshold every run must keep (fail<1%, p99<20ms); a broken rule exits 1
        """;

    private const int Queues = 30;

    /// <summary>
    /// Messages prepared per second of a consume run by default: more than either side consumed here (≤ ~150,000/s),
    /// so no run measures an empty queue.
    /// </summary>
    private const int BacklogPerSecond = 200_000;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(Help);
            return 0;
        }

        MacroOptions options;
        var basePort = 7700;
        var rounds = 3;
        string[] kinds = ["produce", "consume"];
        var report = Path.Combine("bench-reports", "queue-compare-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        try
        {
            var rest = new List<string>();
            for (var i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--base-port": basePort = CompareCommand.PositiveInt(args, ++i); break;
                    case "--rounds": rounds = CompareCommand.PositiveInt(args, ++i); break;
                    case "--report": report = ++i < args.Length ? args[i] : throw new FormatException("--report needs a folder"); break;
                    case "--only":
                        kinds = ++i < args.Length && args[i] is "produce" or "consume" ? [args[i]] : throw new FormatException("--only needs produce or consume");
                        break;
                    default: rest.Add(args[i]); break;
                }
            }

            options = MacroOptions.Parse(rest);
            options.Warmup = rest.Contains("--warmup") ? options.Warmup : TimeSpan.FromSeconds(10);
            options.Duration = rest.Contains("--duration") ? options.Duration : TimeSpan.FromSeconds(10);
            options.Prefill = rest.Contains("--prefill") ? options.Prefill : (int)(BacklogPerSecond * (options.Warmup + options.Duration).TotalSeconds);
        }
        catch (FormatException ex)
        {
            await Console.Error.WriteLineAsync($"sinkron-bench queue-compare: {ex.Message}\n\n{Help}");
            return 2;
        }

        await using var cluster = await LaunchedCluster.UpAsync(basePort, ["--only", "queue"]);
        var measured = kinds.ToDictionary(k => k, _ => new List<CompareRound>());
        for (var round = 1; round <= rounds; round++)
        {
            foreach (var kind in kinds)
            {
                var direct = await RunAsync(cluster, options, kind, router: false, $"{kind}, direct #{round}");
                var routed = await RunAsync(cluster, options, kind, router: true, $"{kind}, router #{round}");
                measured[kind].Add(new CompareRound(direct, routed, kind == "consume" ? QueueConsumeScenario.OperationNames[QueueConsumeScenario.Message] : null));
            }
        }

        var runs = CompareReport.Runs(measured.Values.SelectMany(r => r));
        var setup = $"{options.Users} users, {Queues} queues, 100-byte messages; {options.Warmup.TotalSeconds:0}s warm-up then " +
                    $"{options.Duration.TotalSeconds:0}s measured per run; router over mTLS with {options.Connections} client connections; " +
                    $"consume+ack {options.Batch} messages per call from a {options.Prefill:N0}-message backlog (throughput ratio in messages); " +
                    $"nproc {Environment.ProcessorCount}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC.";
        CompareReport.Publish(report, "Sinkron queue service: through the router vs straight to Redis", runs, [], setup,
            string.Concat(measured.Select(m => CompareRound.Describe(m.Value, $"{m.Key}, router / direct")))
            + CompareReport.CpuLines(runs)
            + string.Concat(runs.Where(Drained).Select(r => $"warning: {r.Label} found its backlog drained; its consume ratio is not a measure (raise --prefill)\n")));

        var broken = 0;
        foreach (var threshold in options.Thresholds)
        {
            foreach (var run in runs.Where(r => !threshold.Holds(r)))
            {
                broken++;
                Console.WriteLine($"threshold {threshold.Text} ({run.Label}): BROKEN (measured {threshold.Measure(run):0.###})");
            }
        }

        return broken == 0 ? 0 : 1;
    }

    private static async Task<RunSummary> RunAsync(LaunchedCluster cluster, MacroOptions options, string kind, bool router, string label)
    {
        var redis = cluster.RedisNodes;
        var queueNode = cluster.QueueNodes[0];
        var backlog = kind == "consume" ? new QueueBacklog(redis, Queues, options.Prefill, options.Users) : null;
        await using IScenario scenario = (kind, router) switch
        {
            ("produce", false) => new QueueProduceDirectScenario(redis, Queues),
            ("produce", true) => new QueueProduceScenario(queueNode, cluster.Certs, options.Connections, Queues),
            (_, false) => new QueueConsumeDirectScenario(backlog!, options.Batch),
            _ => new QueueConsumeScenario(queueNode, cluster.Certs, options.Connections, backlog!, options.Batch),
        };
        var summary = await new LoadRunner(scenario, options.Profile, label, Console.Out, new CpuMeter(cluster.Processes())).RunAsync(CancellationToken.None);

        // A consume scenario deletes its backlog's queues itself.
        if (backlog is null)
        {
            await DeleteProducedAsync(redis);
        }

        return summary;
    }

    /// <summary>A consume run that emptied its queues: it measured waiting, not Redis or the router.</summary>
    private static bool Drained(RunSummary run) =>
        run.Operations.FirstOrDefault(o => o.Name == QueueConsumeScenario.OperationNames[QueueConsumeScenario.Empty]) is { Ok: > 0 };

    /// <summary>Empties the produce runs' queues, so each run appends to empty streams and memory stays flat.</summary>
    private static async Task DeleteProducedAsync(IReadOnlyList<WireEndpoint> redis)
    {
        await using var direct = await DirectRedis.ConnectAsync(redis);
        for (var q = 0; q < Queues; q++)
        {
            var queue = QueueProduceScenario.QueueName(q, Queues);
            await direct.For(queue).KeyDeleteAsync(QueueKeys.Stream(queue));
        }
    }
}
