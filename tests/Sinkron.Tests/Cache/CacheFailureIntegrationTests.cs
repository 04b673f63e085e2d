using Sinkron.Tests.Infrastructure;
using Sinkron.Wire.Messages.Cache;

namespace Sinkron.Tests.Cache;

/// <summary>
/// A cache node killed while it owns a modified line that is homed elsewhere. Each test starts its
/// own three processes, since it kills one.
/// </summary>
public class CacheFailureIntegrationTests
{
    private const int Home = 0;
    private const int Owner = 1;
    private const int Other = 2;

    [Fact]
    public async Task Without_write_through_the_killed_owners_dirty_value_is_lost_and_the_last_written_back_one_is_served()
    {
        await using var cluster = await CacheCluster.StartAsync();
        var cache = cluster.Client.Cache;
        var key = cluster.KeyHomedAt(Home, "killed-wb");
        await cache.PutAsync(key, "flushed", Owner);

        // A read elsewhere makes the owner flush "flushed" home; the next write is dirty at the owner only.
        Assert.Equal("flushed", (await cache.GetAsync(key, Other)).Text);
        Assert.Equal(CacheLineState.Modified, (await cache.PutAsync(key, "dirty", Owner)).State);

        cluster.Nodes[Owner].Kill();
        await Poll.UntilAsync(async () => (await cache.GetAsync(key, Other)).Text == "flushed", CacheCluster.Wait, "the home to reclaim the line and serve its copy");
        Assert.Equal("flushed", (await cache.GetAsync(key, Home)).Text);

        // Writes go on without the dead node, and it comes back empty-handed but coherent.
        await cache.PutAsync(key, "after", Home);
        await cluster.RestartAsync(Owner);
        await cluster.WaitAllLinkedAsync();
        var read = await cache.GetAsync(key, Owner);
        Assert.Equal(("after", CacheLineState.Shared), (read.Text, read.State));
    }

    [Fact]
    public async Task With_write_through_the_killed_owners_last_write_survives()
    {
        await using var cluster = await CacheCluster.StartAsync(common: ["--write-through", "true"]);
        var cache = cluster.Client.Cache;
        var key = cluster.KeyHomedAt(Home, "killed-wt");
        await cache.PutAsync(key, "first", Owner);
        var last = await cache.PutAsync(key, "last", Owner);
        Assert.Equal(CacheLineState.Exclusive, last.State);

        cluster.Nodes[Owner].Kill();
        await Poll.UntilAsync(async () => (await cache.GetAsync(key, Other)).Text == "last", CacheCluster.Wait, "another node to read the written-through value");
        Assert.Equal(last.Version, (await cache.GetAsync(key, Home)).Version);
    }
}
