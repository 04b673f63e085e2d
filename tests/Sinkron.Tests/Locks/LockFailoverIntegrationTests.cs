using System.Collections.Concurrent;
using System.Diagnostics;
using Sinkron.Client;
using Sinkron.Tests.Infrastructure;
using Sinkron.Wire.Messages;

namespace Sinkron.Tests.Locks;

/// <summary>
/// The lock service while nodes die and the network splits, over real processes. Mutual exclusion
/// is checked from the outside: every hold is recorded between the moment acquire returned and
/// the moment release was sent, and no two holds of one lock may overlap.
/// </summary>
[Collection(LockProcessCollection.Name)]
public class LockFailoverIntegrationTests(ProxiedLockClusterFixture fixture) : IClassFixture<ProxiedLockClusterFixture>
{
    private static readonly TimeSpan Wait = LockCluster.Deadline;
    private readonly LockCluster _cluster = fixture.Cluster;

    private readonly record struct Hold(string Name, ulong Token, long Start, long End, int Client);

    [Fact]
    public async Task Leader_killed_under_contention_every_client_carries_on_and_holds_never_overlap()
    {
        const int clientCount = 50;
        string[] names = ["contended-0", "contended-1", "contended-2", "contended-3", "contended-4"];
        var leader = await _cluster.ReviveAsync();
        var clients = Enumerable.Range(0, clientCount).Select(_ => _cluster.NewClient()).ToArray();
        var holds = new ConcurrentQueue<Hold>();
        var failures = new ConcurrentQueue<(int Client, long At, Exception Error)>();
        var afterKill = new int[clientCount];
        var killedAt = long.MaxValue;
        using var stop = new CancellationTokenSource();

        var loops = clients.Select((client, c) => Task.Run(async () =>
        {
            var random = new Random(c);
            while (!stop.IsCancellationRequested)
            {
                var name = names[random.Next(names.Length)];
                try
                {
                    var handle = await client.Locks.AcquireAsync(name, LockMode.Exclusive, Wait);
                    var start = Stopwatch.GetTimestamp();
                    await Task.Yield();
                    var end = Stopwatch.GetTimestamp();
                    holds.Enqueue(new Hold(name, handle.FencingToken, start, end, c));
                    await handle.ReleaseAsync();
                    if (start > Volatile.Read(ref killedAt))
                    {
                        Interlocked.Increment(ref afterKill[c]);
                    }
                }
                catch (Exception ex)
                {
                    failures.Enqueue((c, Stopwatch.GetTimestamp(), ex));
                }
            }
        })).ToArray();

        try
        {
            await Poll.UntilAsync(() => holds.Count >= 200, Wait, "load before the kill");
            Volatile.Write(ref killedAt, Stopwatch.GetTimestamp());
            _cluster.Kill(leader);
            var successor = await _cluster.WaitForLeaderAsync(_cluster.Nodes.Where(n => n != leader).ToArray());
            Assert.NotEqual(leader.Id, successor.Id);
            await Poll.UntilAsync(() => afterKill.All(n => n >= 2), Wait,
                $"every client to succeed after the kill (behind: {string.Join(", ", afterKill.Select((n, c) => (n, c)).Where(p => p.n < 2).Select(p => p.c))})");
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(loops).WaitAsync(Wait);
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        }

        Assert.True(failures.IsEmpty, $"{failures.Count} operations failed, e.g.:\n{string.Join("\n", failures.Take(5).Select(f => $"client {f.Client}: {f.Error}"))}");
        foreach (var group in holds.GroupBy(h => h.Name))
        {
            var ordered = group.OrderBy(h => h.Token).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                var (before, after) = (ordered[i - 1], ordered[i]);
                Assert.True(after.Token > before.Token, $"{group.Key}: token {after.Token} granted twice");
                Assert.True(after.Start > before.End,
                    $"{group.Key}: hold {after.Token} (client {after.Client}) began before hold {before.Token} (client {before.Client}) ended");
            }
        }
    }

    [Fact]
    public async Task Isolated_old_leader_grants_nothing_while_the_majority_keeps_granting()
    {
        var leader = await _cluster.ReviveAsync();
        var majority = _cluster.Nodes.Where(n => n != leader).ToArray();
        var lonely = _cluster.NewClient(null, leader);
        var crowd = _cluster.NewClient(null, majority);

        // The session is opened while the cluster is whole, so only the acquire meets the partition.
        var lonelySession = await lonely.Locks.SessionIdAsync();
        await crowd.Locks.SessionIdAsync();
        try
        {
            _cluster.Isolate(leader);
            var refused = lonely.Locks.TryAcquireAsync("partition-x", LockMode.Exclusive);

            var successor = await _cluster.WaitForLeaderAsync(majority);
            var tokens = new List<ulong>();
            for (var i = 0; i < 5; i++)
            {
                await using var handle = await crowd.Locks.AcquireAsync("partition-y", LockMode.Exclusive, Wait);
                tokens.Add(handle.FencingToken);
            }

            Assert.Equal(tokens.Order(), tokens);
            await using var x = await crowd.Locks.AcquireAsync("partition-x", LockMode.Exclusive, Wait);

            var error = await Assert.ThrowsAsync<SinkronException>(() => refused.WaitAsync(Wait));
            Assert.Contains(error.Code, new[] { ErrorCode.Unavailable, ErrorCode.NotLeader, ErrorCode.Timeout });
            Assert.NotEqual("leader", (await _cluster.StatusAsync(leader))["state"]);

            // After healing, the old leader follows and the lock is still only the majority's.
            _cluster.Heal();
            await _cluster.WaitForLeaderAsync();
            var holder = Assert.Single(Assert.Single(await crowd.Locks.ListAsync("partition-x")).Holders);
            Assert.NotEqual(lonelySession, holder.Session);
            Assert.Equal(x.FencingToken, holder.Token);
        }
        finally
        {
            _cluster.Heal();
        }
    }

    [Fact]
    public async Task Full_cluster_restart_keeps_held_locks_and_sessions()
    {
        await _cluster.ReviveAsync();

        // The lease has to outlive the restart of three processes on a busy machine.
        var holder = _cluster.NewClient(TimeSpan.FromSeconds(60));
        var handle = await holder.Locks.AcquireAsync("restart-1", LockMode.Exclusive, Wait);
        var session = await holder.Locks.SessionIdAsync();

        foreach (var node in _cluster.Nodes)
        {
            _cluster.Kill(node);
        }

        foreach (var node in _cluster.Nodes.ToArray())
        {
            await _cluster.RestartAsync(node);
        }

        await _cluster.WaitForLeaderAsync();
        var listed = Assert.Single(Assert.Single(await holder.Locks.ListAsync("restart-1")).Holders);
        Assert.Equal(session, listed.Session);
        Assert.Equal(handle.FencingToken, listed.Token);
        Assert.Equal(session, await holder.Locks.SessionIdAsync());
        Assert.False(handle.Lost.IsCancellationRequested);

        await handle.ReleaseAsync();
        Assert.All(await holder.Locks.ListAsync("restart-1"), entry => Assert.Empty(entry.Holders));
    }
}
