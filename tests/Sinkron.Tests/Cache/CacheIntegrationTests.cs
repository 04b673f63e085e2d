using Sinkron.Tests.Infrastructure;
using Sinkron.Wire.Messages;
using Sinkron.Wire.Messages.Cache;

namespace Sinkron.Tests.Cache;

/// <summary>The cache end to end: three real node processes kept coherent over mTLS bus links.</summary>
public class CacheIntegrationTests(CacheClusterFixture fixture) : IClassFixture<CacheClusterFixture>
{
    private CacheCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task A_put_on_node_1_is_read_shared_on_nodes_2_and_3()
    {
        var cache = Cluster.Client.Cache;
        var written = await cache.PutAsync("greeting", "hello", node: 0);
        Assert.Equal(CacheLineState.Modified, written.State);

        foreach (var node in (int[])[1, 2])
        {
            var read = await cache.GetAsync("greeting", node);
            Assert.True(read.Found);
            Assert.Equal("hello", read.Text);
            Assert.Equal(CacheLineState.Shared, read.State);
            Assert.Equal(written.Version, read.Version);
        }

        // The writer supplied its data and kept a shared copy.
        var again = await cache.GetAsync("greeting", 0);
        Assert.Equal(("hello", CacheLineState.Shared), (again.Text, again.State));
    }

    [Fact]
    public async Task A_put_on_node_3_invalidates_the_copies_on_nodes_1_and_2()
    {
        var cache = Cluster.Client.Cache;
        await cache.PutAsync("colour", "red", node: 0);
        await cache.GetAsync("colour", 1);
        await cache.GetAsync("colour", 2);
        var before = await InvalidationsReceivedAsync();

        var written = await cache.PutAsync("colour", "blue", node: 2);
        Assert.Equal(CacheLineState.Modified, written.State);
        var after = await InvalidationsReceivedAsync();
        Assert.True(after[0] > before[0] && after[1] > before[1], $"nodes 1 and 2 were not invalidated: before {string.Join(',', before)}, after {string.Join(',', after)}");

        foreach (var node in (int[])[0, 1])
        {
            var read = await cache.GetAsync("colour", node);
            Assert.Equal(("blue", CacheLineState.Shared, written.Version), (read.Text, read.State, read.Version));
        }
    }

    [Fact]
    public async Task Concurrent_writers_on_three_nodes_never_let_a_later_read_see_an_older_write()
    {
        const string key = "contended";
        const int writesPerWriter = 40;
        var writers = Enumerable.Range(0, 3).Select(_ => Cluster.NewClient()).ToArray();
        var readers = Enumerable.Range(0, 3).Select(_ => Cluster.NewClient()).ToArray();
        await writers[0].Cache.PutAsync(key, "seed", 0);
        var history = new CacheHistory();
        var writing = 3;

        var writeTasks = Enumerable.Range(0, 3).Select(async w =>
        {
            for (var seq = 1; seq <= writesPerWriter; seq++)
            {
                var value = $"{w}:{seq}";
                var started = history.Now();
                var result = await writers[w].Cache.PutAsync(key, value, node: w);
                history.Write(w, seq, value, result.Version, started, history.Now());
            }

            Interlocked.Decrement(ref writing);
        }).ToArray();
        var readTasks = Enumerable.Range(0, 3).Select(async r =>
        {
            while (Volatile.Read(ref writing) > 0)
            {
                var started = history.Now();
                var result = await readers[r].Cache.GetAsync(key, node: r);
                history.Read(r, result.Text, result.Version, started, history.Now());
            }
        }).ToArray();
        await Task.WhenAll([.. writeTasks, .. readTasks]);

        Assert.True(history.Reads.Count > 30, $"only {history.Reads.Count} reads ran alongside the writes");
        Assert.Empty(history.Violations());
    }

    [Fact]
    public async Task Evicting_a_modified_line_writes_it_back_home_where_another_node_reads_it()
    {
        var cache = Cluster.Client.Cache;
        var small = CacheClusterFixture.SmallNode;
        var first = Cluster.KeyHomedAt(0, "evict");
        var before = await cache.StatsAsync(small);
        await cache.PutAsync(first, "dirty-0", small);
        for (var i = 1; i <= 12; i++)
        {
            await cache.PutAsync($"evict-filler-{i}", $"dirty-{i}", small);
        }

        var after = await cache.StatsAsync(small);
        Assert.True(after.Evictions > before.Evictions, "no line was evicted from the 8-line node");
        Assert.True(after.WriteBacks > before.WriteBacks, "no evicted modified line was written back");
        Assert.True(after.Lines.Modified + after.Lines.Exclusive + after.Lines.Shared + after.Lines.Invalid <= 8);

        var read = await cache.GetAsync(first, 1);
        Assert.Equal("dirty-0", read.Text);
    }

    [Fact]
    public async Task Bad_keys_and_values_get_invalid_argument_and_the_node_keeps_serving()
    {
        var cache = Cluster.Client.Cache;
        var empty = await Assert.ThrowsAsync<SinkronException>(() => cache.GetAsync("", 1));
        Assert.Equal(ErrorCode.InvalidArgument, empty.Code);
        Assert.Contains("1 to 1024 bytes", empty.Message, StringComparison.Ordinal);

        var longKey = await Assert.ThrowsAsync<SinkronException>(() => cache.PutAsync(new string('k', CacheLimits.MaxKeyBytes + 1), "v", 1));
        Assert.Equal(ErrorCode.InvalidArgument, longKey.Code);

        var bigValue = await Assert.ThrowsAsync<SinkronException>(() => cache.PutAsync("big", new byte[CacheLimits.MaxValueBytes + 1], 1));
        Assert.Equal(ErrorCode.InvalidArgument, bigValue.Code);
        Assert.Contains("at most 1048576 bytes", bigValue.Message, StringComparison.Ordinal);

        await cache.PutAsync(new string('k', CacheLimits.MaxKeyBytes), new byte[CacheLimits.MaxValueBytes], 1);
        var read = await cache.GetAsync(new string('k', CacheLimits.MaxKeyBytes), 0);
        Assert.Equal(CacheLimits.MaxValueBytes, read.Value.Length);
    }

    [Fact]
    public async Task Delete_and_ttl_make_a_key_not_found_everywhere()
    {
        var cache = Cluster.Client.Cache;
        await cache.PutAsync("doomed", "x", 0);
        await cache.GetAsync("doomed", 1);
        await cache.DeleteAsync("doomed", 1);
        foreach (var node in (int[])[0, 1, 2])
        {
            Assert.False((await cache.GetAsync("doomed", node)).Found);
        }

        // Long enough that a slow CI machine still reads the key before it expires; the expiry is then polled for.
        await cache.PutAsync("fleeting", "x", 1, ttl: TimeSpan.FromSeconds(2));
        Assert.True((await cache.GetAsync("fleeting", 1)).Found);
        await Poll.UntilAsync(async () => !(await cache.GetAsync("fleeting", 0)).Found, CacheCluster.Wait, "the TTL to expire the key");
    }

    [Fact]
    public async Task Status_reports_state_lines_per_state_hits_and_misses()
    {
        await Cluster.Client.Cache.PutAsync("status-key", "v", 0);
        await Cluster.Client.Cache.GetAsync("status-key", 0);
        var status = await Cluster.Client.StatusAsync(Cluster.Client.Options.CacheNodes[0]);
        Assert.Equal("cache", status.Role);
        Assert.Equal("up", status.Field("state"));
        Assert.Matches(@"^M \d+ E \d+ S \d+ I \d+$", status.Field("lines"));
        Assert.True(long.Parse(status.Field("hits")!, System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.NotNull(status.Field("misses"));
    }

    private async Task<ulong[]> InvalidationsReceivedAsync()
    {
        var counts = new ulong[3];
        for (var i = 0; i < 3; i++)
        {
            counts[i] = (await Cluster.Client.Cache.StatsAsync(i)).InvalidationsReceived;
        }

        return counts;
    }
}
