using System.Diagnostics;
using System.Globalization;
using Sinkron.Client;

namespace Sinkron.Bench.Macro;

/// <summary>
/// <c>sinkron-bench raft [--in-flight N] [--warmup T] [--duration T]</c>: Raft replication alone.
/// Starts 3 real lock nodes (mTLS, fsync on) with <c>--raft-load N</c>, so the leader proposes
/// 64-byte entries from inside itself; reads the committed count and the commit latency from the
/// leader's STATUS before and after the measured window.
/// </summary>
internal static class RaftLoadCommand
{
    private const string Usage = "usage: sinkron-bench raft [--in-flight N (default 1024)] [--warmup 3s] [--duration 10s]";

    public static async Task<int> RunAsync(string[] args)
    {
        var inFlight = 1024;
        var warmup = TimeSpan.FromSeconds(3);
        var duration = TimeSpan.FromSeconds(10);
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--in-flight": inFlight = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                    case "--warmup": warmup = DurationText.Parse(args[++i]); break;
                    case "--duration": duration = DurationText.Parse(args[++i]); break;
                    default: throw new FormatException($"unknown option '{args[i]}'");
                }
            }
        }
        catch (Exception ex) when (ex is FormatException or IndexOutOfRangeException)
        {
            await Console.Error.WriteLineAsync($"sinkron-bench raft: {ex.Message}\n{Usage}");
            return 2;
        }

        await using var nodes = await SelfHostedNodes.StartAsync("lock", 3, "--raft-load", inFlight.ToString(CultureInfo.InvariantCulture));
        await using var client = SinkronClient.Create(new SinkronClientOptions { CertificateDirectory = nodes.Certs, LockNodes = nodes.Endpoints });
        var (leader, _) = await LockLeader.FindAsync(client);
        await Task.Delay(warmup);
        var before = await client.StatusAsync(leader);
        var clock = Stopwatch.StartNew();
        await Task.Delay(duration);
        var after = await client.StatusAsync(leader);
        var seconds = clock.Elapsed.TotalSeconds;

        long Delta(string field) => long.Parse(after.Field(field)!, CultureInfo.InvariantCulture) - long.Parse(before.Field(field)!, CultureInfo.InvariantCulture);
        var committed = Delta("load committed");
        var fsyncs = Delta("fsyncs");
        Console.WriteLine($"raft: 3 nodes, mTLS, fsync on, 64-byte entries, {inFlight} in flight, {seconds:0.0}s measured; nproc {Environment.ProcessorCount}");
        Console.WriteLine($"committed {committed / seconds:N0} entries/s; commit latency p50 {after.Field("load commit p50")}, p99 {after.Field("load commit p99")} (recent batches); "
            + $"leader fsyncs {fsyncs / seconds:N0}/s, {(fsyncs == 0 ? 0 : committed / (double)fsyncs):0} entries per fsync");
        return 0;
    }
}
