using Sinkron.Bench.Macro;
using Sinkron.Bench.Micro;

namespace Sinkron.Bench;

/// <summary><c>sinkron-bench micro|macro|compare|queue-compare|failover|raft|disk</c>.</summary>
internal static class BenchProgram
{
    public const string Usage = """
        sinkron-bench: Sinkron's benchmarks.

          micro [--job dry|short|medium] [BenchmarkDotNet args]
              BenchmarkDotNet suite with MemoryDiagnoser; exits 1 if a ZeroAlloc benchmark allocates.
          macro --scenario wire|lock|queue|cache [options]
              the load generator; see `macro --help`.
          failover [--rounds N]
              kill the lock leader N times; time until a lock is granted again.
          raft [--in-flight N] [--warmup T] [--duration T]
              3 lock nodes replicating 64-byte entries proposed inside the leader; entries/s, commit latency.
          compare [options]
              single-node vs 3-node lock cluster, same load; see `compare --help`.
          queue-compare [options]
              queue router vs the same load straight to Redis, produce and consume, alternated; see `queue-compare --help`.
          disk [--streams 1,2,3] [--lockstep] [--duration 5s] [--dir PATH]
              4 KiB append + fdatasync loops, 1..N at once: the WAL's fsync cost on this disk;
              --lockstep starts them together and times each step until the last is durable.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        // The load generator must not be the bottleneck: complete socket reads inline, no pool hop.
        Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        return args[0] switch
        {
            "micro" => MicroRunner.Run(args[1..]),
            "macro" => await MacroCommand.RunAsync(args[1..]),
            "compare" => await CompareCommand.RunAsync(args[1..]),
            "queue-compare" => await QueueCompareCommand.RunAsync(args[1..]),
            "failover" => await FailoverCommand.RunAsync(args[1..]),
            "raft" => await RaftLoadCommand.RunAsync(args[1..]),
            "disk" => await DiskSyncCommand.RunAsync(args[1..]),
            _ => await Unknown(args[0]),
        };
    }

    private static async Task<int> Unknown(string verb)
    {
        await Console.Error.WriteLineAsync($"sinkron-bench: unknown command '{verb}'\n\n{Usage}");
        return 2;
    }
}
