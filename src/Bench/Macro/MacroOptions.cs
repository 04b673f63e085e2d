using System.Globalization;
using Sinkron.Client;
using Sinkron.Wire.Transport;

namespace Sinkron.Bench.Macro;

/// <summary>Command-line options of <c>sinkron-bench macro</c>.</summary>
internal sealed class MacroOptions
{
    public const string Help = """
        sinkron-bench macro: the load generator.

          --scenario NAME     wire (PING), lock (acquire-exclusive -> release, random names),
                              lock-contended (few names), lock-mixed (shared/exclusive mix),
                              queue-produce (100-byte messages through the router, 30 queues; needs --nodes ROUTER --certs),
                              queue-produce-direct (the same load straight to Redis; needs --redis),
                              queue-consume (consume up to --batch then ack, through the router, from a
                              backlog prepared in Redis; needs --nodes ROUTER --certs and --redis),
                              queue-consume-direct (the same with XREADGROUP + XACK straight to Redis; needs --redis),
                              cache (get/put mix of 100-byte values over --keys keys, users spread over the nodes),
                              cache-hit (gets that hit, all users at node 1; keys warmed there in setup),
                              cache-invalidate (put-plain: a fresh key nobody holds, vs put-invalidating: a fresh
                              key read first, untimed, at the 2 other nodes; both at the user's node)
          --users N           virtual users (default 100)
          --connections N     connections the users share, per node (default 4)
          --ramp R            closed model: start R users per second (default 0 = all at once)
          --rate R            open model: R steps per second on a fixed schedule (latency from the
                              intended start); --users then only spreads steps over user ids
          --warmup T          warm-up before measuring, e.g. 3s (default 3s)
          --duration T        measured window, e.g. 20s (default 20s)
          --nodes A,B,...     host:port of the nodes; without it, wire, lock and cache scenarios start their own
                              (cache: 3 cache nodes)
          --certs DIR         certificate folder (default: the one made for self-started nodes)
          --redis A,B,C       Redis nodes in ring order (redis1, redis2, redis3), for queue-produce-direct and queue-consume*
          --batch N           queue-consume*: messages per consume (default 10)
          --prefill N         queue-consume*: backlog prepared before the run (default 1000000)
          --lock-names N      lock scenarios: names to choose from (default 100000; contended: 8)
          --cluster-size N    lock scenarios without --nodes: lock nodes to start (default 3)
          --read-ratio F      cache: share of steps that are gets (default 0.9)
          --keys N            cache: keys to choose from (default 10000); cache-hit: keys warmed (default 1000)
          --skew S            cache: zipf exponent, key i is picked with weight 1/(i+1)^S; 0 = uniform
                              (default 0.99, YCSB's: about 29 % of picks go to the 10 hottest of 10000 keys)
          --assert RULE       p99<10ms, p50<500us, rps>50000, fail<1% (repeatable); a broken rule exits 1
          --label TEXT        name of the run in the output
          --report DIR        also write report.md, report.csv, report.json and PNG plots there
          --cpu-of DIR        also print the CPU per operation, over the measured window, of every process
                              run-cluster.sh recorded in DIR (its --data folder) and of this load generator
        """;

    public string Scenario { get; set; } = "wire";

    public int Users { get; set; } = 100;

    public int Connections { get; set; } = 4;

    public double Ramp { get; set; }

    public double Rate { get; set; }

    public TimeSpan Warmup { get; set; } = TimeSpan.FromSeconds(3);

    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(20);

    public List<WireEndpoint> Nodes { get; } = [];

    public List<WireEndpoint> Redis { get; } = [];

    public string? Certs { get; set; }

    public int LockNames { get; set; }

    public int ClusterSize { get; set; } = 3;

    public int Batch { get; set; } = 10;

    public int Prefill { get; set; } = 1_000_000;

    public double ReadRatio { get; set; } = 0.9;

    public int Keys { get; set; }

    public double Skew { get; set; } = 0.99;

    public List<Threshold> Thresholds { get; } = [];

    public string? Label { get; set; }

    public string? Report { get; set; }

    /// <summary>A launcher data folder whose processes' CPU is measured with the run.</summary>
    public string? CpuOf { get; set; }

    public LoadProfile Profile => new(Users, Ramp, Warmup, Duration, Rate);

    public static MacroOptions Parse(IReadOnlyList<string> args)
    {
        var options = new MacroOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new FormatException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--scenario": options.Scenario = Next(); break;
                case "--users": options.Users = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--connections": options.Connections = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--ramp": options.Ramp = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--rate": options.Rate = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--warmup": options.Warmup = DurationText.Parse(Next()); break;
                case "--duration": options.Duration = DurationText.Parse(Next()); break;
                case "--nodes":
                    foreach (var node in Next().Split(',', StringSplitOptions.RemoveEmptyEntries))
                    {
                        options.Nodes.Add(WireEndpoint.Parse(node));
                    }

                    break;
                case "--certs": options.Certs = Next(); break;
                case "--redis":
                    foreach (var node in Next().Split(',', StringSplitOptions.RemoveEmptyEntries))
                    {
                        options.Redis.Add(WireEndpoint.Parse(node));
                    }

                    break;
                case "--lock-names": options.LockNames = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--batch": options.Batch = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--prefill": options.Prefill = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--cluster-size": options.ClusterSize = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--read-ratio": options.ReadRatio = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--keys": options.Keys = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--skew": options.Skew = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--assert": options.Thresholds.Add(Threshold.Parse(Next())); break;
                case "--label": options.Label = Next(); break;
                case "--report": options.Report = Next(); break;
                case "--cpu-of": options.CpuOf = Next(); break;
                default: throw new FormatException($"unknown option '{args[i]}'");
            }
        }

        if (options.Users < 1 || options.Connections < 1)
        {
            throw new FormatException("--users and --connections must be at least 1");
        }

        if (options.ReadRatio is < 0 or > 1 || options.Skew < 0 || options.Keys < 0)
        {
            throw new FormatException("--read-ratio must be within 0..1, --skew and --keys must not be negative");
        }

        return options;
    }
}
