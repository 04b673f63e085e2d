using System.Diagnostics;
using System.Globalization;
using Sinkron.Client;

namespace Sinkron.Bench.Macro;

/// <summary>
/// <c>sinkron-bench failover [--rounds N] [--base-port P]</c>: starts a 3-node lock cluster through
/// the launcher, and N times SIGKILLs the leader and measures the time until a lock is granted again
/// through the client library (detection, election, the new leader's first commit, client redirect).
/// The leader is killed by pid straight from here and the clock starts at the kill.
/// </summary>
internal static class FailoverCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = 5;
        var basePort = 7700;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--base-port": basePort = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default:
                    await Console.Error.WriteLineAsync("usage: sinkron-bench failover [--rounds N] [--base-port P]");
                    return 2;
            }
        }

        await using var cluster = await LaunchedCluster.UpAsync(basePort, ["--only", "lock"]);
        var times = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            await using var client = SinkronClient.Create(new SinkronClientOptions { CertificateDirectory = cluster.Certs, LockNodes = cluster.LockNodes });
            var leader = (await LockLeader.FindAsync(client)).Status.NodeId;
            await (await client.Locks.AcquireAsync("failover")).ReleaseAsync();
            // SIGKILL by pid from here, so the clock starts at the kill and not at a shell's start-up.
            using (var process = Process.GetProcessById(cluster.PidOf(leader)))
            {
                process.Kill();
            }

            var clock = Stopwatch.StartNew();
            await (await client.Locks.AcquireAsync("failover", wait: TimeSpan.FromSeconds(30))).ReleaseAsync();
            times.Add(clock.Elapsed.TotalMilliseconds);
            Console.WriteLine($"round {round}: killed {leader}; a lock was granted again after {clock.Elapsed.TotalMilliseconds:0} ms");
            await cluster.RunAsync("start", leader);
        }

        times.Sort();
        Console.WriteLine($"failover over {rounds} rounds: median {times[times.Count / 2]:0} ms, max {times[^1]:0} ms");
        return 0;
    }
}
