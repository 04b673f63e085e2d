using System.CommandLine;
using Sinkron.Client;
using Sinkron.Wire.Messages.Cache;

namespace Sinkron.Cli.Commands;

/// <summary>
/// <c>sinkron cache get|put|delete|stats</c>. <c>--on N</c> picks cache node N (1-based, in the order of
/// cli.json's cacheNodes); it is not <c>--node</c>, which names one address for any command.
/// </summary>
internal static class CacheCommand
{
    public static Command Create()
    {
        var cache = new Command("cache", "the coherent cache: read and write keys at any cache node; see line states and metrics");
        cache.Subcommands.Add(Get());
        cache.Subcommands.Add(Put());
        cache.Subcommands.Add(Delete());
        cache.Subcommands.Add(Stats());
        return cache;
    }

    private static Argument<string> Key() => new("KEY") { Description = "the key (1 to 1024 UTF-8 bytes)" };

    private static Option<int?> On(string description) => new("--on") { Description = description };

    private static Command Get()
    {
        var key = Key();
        var on = On("cache node number to ask, 1..3 (default 1)");
        var command = new Command("get", "read a key; prints the value and the key's line state at that node (M, E, S or I), tab-separated") { key, on };
        command.SetAction(async (result, ct) =>
        {
            await using var client = CliContext.CreateClient(result);
            var node = NodeIndex(client, result.GetValue(on) ?? 1);
            var entry = await client.Cache.GetAsync(result.GetValue(key)!, node, ct);
            if (!entry.Found)
            {
                await Console.Error.WriteLineAsync($"sinkron: not found at cache node {node + 1} (line {Letter(entry.State)})");
                return 1;
            }

            Console.WriteLine($"{entry.Text}\t{Letter(entry.State)}");
            return 0;
        });
        return command;
    }

    private static Command Put()
    {
        var key = Key();
        var value = new Argument<string>("VALUE") { Description = "the value, as text (at most 1 MiB)" };
        var on = On("cache node number to write at, 1..3 (default 1)");
        var ttl = new Option<string?>("--ttl") { Description = "delete the key after this long, e.g. 30s" };
        var command = new Command("put", "write a key; prints the key's line state at that node and its version") { key, value, on, ttl };
        command.SetAction(async (result, ct) =>
        {
            await using var client = CliContext.CreateClient(result);
            var node = NodeIndex(client, result.GetValue(on) ?? 1);
            var lifetime = result.GetValue(ttl) is { } text ? DurationText.Parse(text) : (TimeSpan?)null;
            var written = await client.Cache.PutAsync(result.GetValue(key)!, result.GetValue(value)!, node, lifetime, ct);
            Console.WriteLine($"ok\t{Letter(written.State)}\tversion {written.Version}");
            return 0;
        });
        return command;
    }

    private static Command Delete()
    {
        var key = Key();
        var on = On("cache node number to delete at, 1..3 (default 1)");
        var command = new Command("delete", "delete a key (every node's copy is invalidated)") { key, on };
        command.SetAction(async (result, ct) =>
        {
            await using var client = CliContext.CreateClient(result);
            var node = NodeIndex(client, result.GetValue(on) ?? 1);
            var written = await client.Cache.DeleteAsync(result.GetValue(key)!, node, ct);
            Console.WriteLine($"deleted\t{Letter(written.State)}\tversion {written.Version}");
            return 0;
        });
        return command;
    }

    private static Command Stats()
    {
        var on = On("one cache node number, 1..3 (default: every cache node)");
        var command = new Command("stats", "per node: hits, misses, hit ratio, evictions, write-backs, invalidations, lines per state, latency, bus messages") { on };
        command.SetAction(async (result, ct) =>
        {
            await using var client = CliContext.CreateClient(result);
            var count = client.Options.CacheNodes.Count;
            var first = result.GetValue(on) is { } one ? NodeIndex(client, one) : 0;
            var last = result.GetValue(on) is null ? count - 1 : first;
            var stats = new List<CacheStatsResponse>();
            for (var node = first; node <= last; node++)
            {
                stats.Add(await client.Cache.StatsAsync(node, ct));
            }

            Print(stats);
            return 0;
        });
        return command;
    }

    private static void Print(List<CacheStatsResponse> nodes)
    {
        Console.WriteLine($"{"NODE",-8} {"HITS",8} {"MISSES",8} {"RATIO",6} {"EVICT",6} {"WBACK",6} {"INV-OUT",7} {"INV-IN",7} {"M",6} {"E",6} {"S",6} {"I",4} {"GET p50/p99 µs",15} {"PUT p50/p99 µs",15}");
        foreach (var s in nodes)
        {
            Console.WriteLine($"{s.NodeId,-8} {s.Hits,8} {s.Misses,8} {s.HitRatio,6:P0} {s.Evictions,6} {s.WriteBacks,6} {s.InvalidationsSent,7} {s.InvalidationsReceived,7} " +
                $"{s.Lines.Modified,6} {s.Lines.Exclusive,6} {s.Lines.Shared,6} {s.Lines.Invalid,4} {$"{s.Latency.GetP50Us}/{s.Latency.GetP99Us}",15} {$"{s.Latency.PutP50Us}/{s.Latency.PutP99Us}",15}");
        }

        foreach (var s in nodes)
        {
            var traffic = new List<string>();
            foreach (var bus in s.Bus)
            {
                if (bus.Sent + bus.Received > 0)
                {
                    traffic.Add($"{bus.Type} {bus.Sent}/{bus.Received}");
                }
            }

            Console.WriteLine($"{s.NodeId} bus sent/received: {(traffic.Count == 0 ? "none" : string.Join(", ", traffic))}");
        }
    }

    private static int NodeIndex(SinkronClient client, int number)
    {
        var count = client.Options.CacheNodes.Count;
        if (count == 0)
        {
            throw new CliException("no cache nodes known: start a cluster with ./run-cluster.sh up, or pass --node HOST:PORT");
        }

        return number >= 1 && number <= count
            ? number - 1
            : throw new CliException($"--on {number}: there are {count} cache node(s); use 1..{count}");
    }

    private static string Letter(CacheLineState state) => state switch
    {
        CacheLineState.Modified => "M",
        CacheLineState.Exclusive => "E",
        CacheLineState.Shared => "S",
        _ => "I",
    };
}
