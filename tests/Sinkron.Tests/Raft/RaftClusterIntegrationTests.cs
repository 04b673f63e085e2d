using System.Globalization;
using System.Text.RegularExpressions;
using Sinkron.Client;
using Sinkron.Tests.Infrastructure;

namespace Sinkron.Tests.Raft;

/// <summary>
/// Raft across three real lock-node processes over mTLS on loopback: election, leader crash,
/// whole-cluster crash, and a follower cut off by TCP proxies that must catch up by snapshot.
/// Each test owns its cluster because each one kills or partitions it.
/// </summary>
[Collection(LockProcessCollection.Name)]
public partial class RaftClusterIntegrationTests
{
    private static readonly TimeSpan Wait = LockCluster.Deadline;

    [Fact]
    public async Task One_leader_is_elected_and_a_killed_leader_is_replaced_without_losing_committed_locks()
    {
        await using var cluster = await LockCluster.StartAsync("raft-failover");
        var leader = await cluster.WaitForLeaderAsync();
        var client = cluster.NewClient();
        var granted = new Dictionary<string, ulong>();
        for (var i = 0; i < 3; i++)
        {
            granted[$"raft-a-{i}"] = (await client.Locks.AcquireAsync($"raft-a-{i}", LockMode.Exclusive, Wait)).FencingToken;
        }

        var session = await client.Locks.SessionIdAsync();

        cluster.Kill(leader);
        var survivors = cluster.Nodes.Where(n => n != leader).ToArray();
        var successor = await cluster.WaitForLeaderAsync(survivors);
        Assert.NotEqual(leader.Id, successor.Id);

        AssertHeld(await client.Locks.ListAsync("raft-a-"), granted, session);
        var after = await client.Locks.AcquireAsync("raft-a-new", LockMode.Exclusive, Wait);
        Assert.True(after.FencingToken > granted.Values.Max(), $"token {after.FencingToken} after the failover is not above {granted.Values.Max()}");

        // The killed node comes back and catches up with what it missed.
        var restarted = await cluster.RestartAsync(leader);
        var target = await cluster.AppliedAsync(successor);
        await Poll.UntilAsync(async () => await cluster.AppliedAsync(restarted) >= target, Wait, $"{restarted.Id} to apply up to {target}");
    }

    [Fact]
    public async Task All_three_killed_and_restarted_recover_their_logs()
    {
        await using var cluster = await LockCluster.StartAsync("raft-restart");
        await cluster.WaitForLeaderAsync();

        // A long lease: the session must outlive the time the cluster is down.
        var client = cluster.NewClient(TimeSpan.FromSeconds(60));
        var granted = new Dictionary<string, ulong>();
        for (var i = 0; i < 5; i++)
        {
            granted[$"raft-r-{i}"] = (await client.Locks.AcquireAsync($"raft-r-{i}", LockMode.Exclusive, Wait)).FencingToken;
        }

        var session = await client.Locks.SessionIdAsync();
        var commitBefore = new Dictionary<string, ulong>();
        foreach (var node in cluster.Nodes)
        {
            commitBefore[node.Id] = ulong.Parse((await cluster.StatusAsync(node))["commit"], CultureInfo.InvariantCulture);
        }

        foreach (var node in cluster.Nodes)
        {
            cluster.Kill(node);
        }

        foreach (var node in cluster.Nodes.ToArray())
        {
            await cluster.RestartAsync(node);
        }

        await cluster.WaitForLeaderAsync();
        foreach (var node in cluster.Nodes)
        {
            await Poll.UntilAsync(async () => ulong.Parse((await cluster.StatusAsync(node))["commit"], CultureInfo.InvariantCulture) >= commitBefore[node.Id],
                Wait, $"{node.Id} to commit at least {commitBefore[node.Id]} again");
            Assert.Contains("raft: recovered", node.Log, StringComparison.Ordinal);
        }

        AssertHeld(await client.Locks.ListAsync("raft-r-"), granted, session);
    }

    [Fact]
    public async Task A_cut_off_follower_catches_up_by_snapshot_after_the_log_was_compacted()
    {
        const int snapshotEvery = 50;
        await using var cluster = await LockCluster.StartAsync("raft-snapshot", proxied: true, snapshotEvery: snapshotEvery);
        var leader = await cluster.WaitForLeaderAsync();
        var follower = cluster.Nodes.First(n => n != leader);
        var majority = cluster.Nodes.Where(n => n != follower).ToArray();
        var client = cluster.NewClient(null, majority);
        await using (await client.Locks.AcquireAsync("raft-s-warmup", LockMode.Exclusive, Wait))
        {
        }

        cluster.Isolate(follower);
        await Poll.UntilAsync(async () => (await cluster.StatusAsync(follower))["state"] != "follower", Wait, $"{follower.Id} to notice it lost the leader");
        var appliedWhileCut = await cluster.AppliedAsync(follower);

        // Over 200 commands: acquire and release on a few names, from a few concurrent callers.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async worker =>
        {
            for (var i = 0; i < 30; i++)
            {
                var handle = await client.Locks.AcquireAsync($"raft-s-{worker}", LockMode.Exclusive, Wait);
                await handle.ReleaseAsync();
            }
        }));
        var leaderNow = await cluster.WaitForLeaderAsync(majority);
        var target = await cluster.AppliedAsync(leaderNow);
        Assert.True(target > appliedWhileCut + 200, $"only {target - appliedWhileCut} entries were applied while {follower.Id} was cut off");
        Assert.Equal(appliedWhileCut, await cluster.AppliedAsync(follower));
        // Snapshots are taken after the reply and logged by the node's own thread: wait for the lines.
        var compactedBeyond = appliedWhileCut + snapshotEvery;
        await Poll.UntilAsync(() => LastSnapshot(leaderNow) > compactedBeyond, Wait, $"{leaderNow.Id} to compact past {follower.Id}'s log");

        // A follower applies at the end of its pass, and takes its own snapshots there.
        var connectedFollower = majority.First(n => n != leaderNow);
        await Poll.UntilAsync(() => LastSnapshot(connectedFollower) > compactedBeyond, Wait, $"{connectedFollower.Id} to take a snapshot of its own");

        cluster.Heal();
        await Poll.UntilAsync(async () => await cluster.AppliedAsync(follower) >= target, Wait, $"{follower.Id} to catch up to {target}");
        await Poll.UntilAsync(
            () => SnapshotIndexes(follower.Log, "installed snapshot at index").Any(index => index > compactedBeyond),
            Wait,
            $"{follower.Id} to log that it installed a snapshot");

        // Caught up for real: it takes part again, so the other follower can be lost without losing the majority.
        cluster.Kill(majority.First(n => n != leaderNow));
        await using (await client.Locks.AcquireAsync("raft-s-after", LockMode.Exclusive, Wait))
        {
        }
    }

    private static void AssertHeld(IReadOnlyList<Sinkron.Wire.Messages.Locks.LockEntry> listed, Dictionary<string, ulong> granted, ulong session)
    {
        Assert.Equal(granted.Keys.Order(StringComparer.Ordinal), listed.Select(e => e.Name).Order(StringComparer.Ordinal));
        foreach (var entry in listed)
        {
            var holder = Assert.Single(entry.Holders);
            Assert.Equal(session, holder.Session);
            Assert.Equal(granted[entry.Name], holder.Token);
        }
    }

    private static ulong LastSnapshot(NodeProcess node) => SnapshotIndexes(node.Log, "snapshot at index").DefaultIfEmpty(0ul).Max();

    private static IEnumerable<ulong> SnapshotIndexes(string log, string phrase)
    {
        foreach (Match match in IndexPattern().Matches(log))
        {
            if (match.Groups["phrase"].Value == phrase)
            {
                yield return ulong.Parse(match.Groups["index"].Value, CultureInfo.InvariantCulture);
            }
        }
    }

    [GeneratedRegex(@"(?<phrase>(installed )?snapshot at index) (?<index>\d+)")]
    private static partial Regex IndexPattern();
}
