using Sinkron.Client;
using Sinkron.Tests.Infrastructure;

namespace Sinkron.Tests.Raft;

/// <summary>The trailing follower on three real lock nodes: it appears under load, and losing the prompt follower does not stop commits.</summary>
[Collection(LockProcessCollection.Name)]
public class TrailingFollowerIntegrationTests
{
    private static readonly TimeSpan Wait = LockCluster.Deadline;

    [Fact]
    public async Task Under_load_one_follower_trails_and_commits_go_on_through_it_when_the_prompt_one_dies()
    {
        await using var cluster = await LockCluster.StartAsync("raft-trailing");
        var leader = await cluster.WaitForLeaderAsync();
        var client = cluster.NewClient(null, leader);
        using var stop = new CancellationTokenSource();
        long done = 0;
        var load = Task.WhenAll(Enumerable.Range(0, 16).Select(async worker =>
        {
            while (!stop.IsCancellationRequested)
            {
                await using (await client.Locks.AcquireAsync($"trail-{worker}", LockMode.Exclusive, Wait))
                {
                }

                Interlocked.Increment(ref done);
            }
        }));

        // Idle, every follower is prompt; under load the leader lets one trail.
        var trailing = "-";
        await Poll.UntilAsync(async () => (trailing = (await cluster.StatusAsync(leader))["trailing"]) != "-", Wait, "a follower to trail under load");
        var trailer = cluster[trailing];
        var prompt = cluster.Nodes.Single(n => n != leader && n != trailer);

        cluster.Kill(prompt);
        var before = Interlocked.Read(ref done);
        await Poll.UntilAsync(() => Interlocked.Read(ref done) > before + 200, Wait, "commits to go on with the trailing follower alone");
        await Poll.UntilAsync(async () => (await cluster.StatusAsync(leader))["trailing"] != trailer.Id, Wait, $"{trailer.Id} to be prompt");

        await stop.CancelAsync();
        await load;
    }
}
