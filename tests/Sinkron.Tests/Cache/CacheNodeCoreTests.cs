using System.Text;
using Sinkron.Nodes.Cache;
using Sinkron.Tests.Infrastructure;

namespace Sinkron.Tests.Cache;

/// <summary>Races and edge cases of the core, each driven by an exact delivery order. Home is node 2.</summary>
public class CacheNodeCoreTests
{
    private const int A = 0;
    private const int B = 1;
    private const int Home = 2;

    private static CacheTestCluster Cluster(Func<int, CacheOptions>? options = null) => new(3, new FixedHomes(Home), options);

    private static string Text(CacheCompletion completion) => Encoding.UTF8.GetString(completion.Value.Span);

    [Fact]
    public void A_write_back_crossing_a_fetch_reaches_the_requester()
    {
        var cluster = Cluster();
        cluster.Put(A, "k", "v1");
        cluster.DeliverAll();

        var read = cluster.Get(B, "k");
        cluster.DeliverOne(B, Home);            // BusRd: home sends Fetch to A
        Assert.Equal(1, cluster.Queued(Home, A));
        Assert.True(cluster.Evict(A, "k"));      // PutM leaves before A sees the Fetch
        cluster.DeliverOne(Home, A);            // A has no copy: FetchAck without data, behind the PutM
        cluster.DeliverAll();

        var completion = cluster.Completion(read);
        Assert.Equal("v1", Text(completion));
        Assert.Equal(1UL, completion.Version);
        Assert.Equal(LineState.Exclusive, completion.State);
        Assert.Equal(B, cluster.Nodes[Home].InspectHome("k"u8)!.Value.Owner);
        Assert.Equal(0, cluster.Nodes[Home].Metrics.ProtocolErrors);
    }

    [Fact]
    public void A_write_back_crossing_an_invalidation_is_not_overwritten()
    {
        var cluster = Cluster();
        cluster.Put(A, "k", "v1");
        cluster.DeliverAll();

        var write = cluster.Put(B, "k", "v2");
        cluster.DeliverOne(B, Home);            // BusRdX: Inv to A
        Assert.True(cluster.Evict(A, "k"));
        cluster.DeliverAll();

        Assert.Equal(2UL, cluster.Completion(write).Version);
        var read = cluster.Get(Home, "k");
        cluster.DeliverAll();
        Assert.Equal("v2", Text(cluster.Completion(read)));
        Assert.Equal(2UL, cluster.Completion(read).Version);
    }

    [Fact]
    public void A_shared_eviction_crossing_an_invalidation_still_acknowledges()
    {
        var cluster = Cluster();
        cluster.Get(A, "k");
        cluster.DeliverAll();
        cluster.Get(B, "k");
        cluster.DeliverAll();

        var write = cluster.Put(Home, "k", "v");
        Assert.True(cluster.Evict(A, "k"));
        cluster.DeliverAll();

        Assert.Equal(LineState.Modified, cluster.Completion(write).State);
        Assert.Equal(LineState.Invalid, cluster.State(A, "k"));
        Assert.Equal(LineState.Invalid, cluster.State(B, "k"));
        Assert.Equal(0, cluster.Nodes[Home].Metrics.ProtocolErrors);
    }

    [Fact]
    public void The_home_serializes_writers_in_arrival_order()
    {
        var cluster = Cluster();
        var first = cluster.Put(A, "k", "from-a");
        cluster.DeliverAll();

        var second = cluster.Put(Home, "k", "from-home");  // over loopback: Inv to A, waits
        var third = cluster.Put(B, "k", "from-b");
        cluster.DeliverOne(B, Home);
        var home = cluster.Nodes[Home].InspectHome("k"u8)!.Value;
        Assert.True(home.Busy);
        Assert.Equal(1, home.Waiting);
        cluster.DeliverAll();

        Assert.Equal(1UL, cluster.Completion(first).Version);
        Assert.Equal(2UL, cluster.Completion(second).Version);
        Assert.Equal(3UL, cluster.Completion(third).Version);
        Assert.Equal(LineState.Modified, cluster.State(B, "k"));
        MesiTransitionTests.AssertSingleWriter(cluster);
    }

    [Fact]
    public void Operations_on_one_key_at_one_node_run_in_order()
    {
        var cluster = Cluster();
        var put = cluster.Put(A, "k", "v1");
        var get = cluster.Get(A, "k");
        var delete = cluster.Delete(A, "k");
        var getAfter = cluster.Get(A, "k");
        Assert.Equal(4, cluster.Line(A, "k").QueuedOps);
        cluster.DeliverAll();

        Assert.Equal(1UL, cluster.Completion(put).Version);
        Assert.Equal("v1", Text(cluster.Completion(get)));
        Assert.Equal(2UL, cluster.Completion(delete).Version);
        Assert.Equal(CacheStatus.NotFound, cluster.Completion(getAfter).Status);
        Assert.Equal(1, cluster.Nodes[A].Metrics.Misses);
        Assert.Equal(3, cluster.Nodes[A].Metrics.Hits);
    }

    [Fact]
    public void Replacement_writes_a_modified_victim_back()
    {
        var cluster = Cluster(n => new CacheOptions { MaxEntries = 1 });
        cluster.Put(A, "k1", "v1");
        cluster.DeliverAll();
        cluster.Put(A, "k2", "v2");
        cluster.DeliverAll();

        Assert.Equal(LineState.Invalid, cluster.State(A, "k1"));
        Assert.Equal(LineState.Modified, cluster.State(A, "k2"));
        var home = cluster.Nodes[Home].InspectHome("k1"u8)!.Value;
        Assert.Equal(1UL, home.Version);
        Assert.Equal(-1, home.Owner);
        Assert.Equal(1, cluster.Nodes[A].Metrics.Evictions);
        Assert.Equal(1, cluster.Nodes[A].Metrics.WriteBacks);
        Assert.Equal(1, cluster.Nodes[A].Metrics.Sent(BusMessageType.PutM));
        Assert.Equal(2, cluster.Nodes[A].Metrics.Sent(BusMessageType.BusRdX));
        Assert.Equal(2, cluster.Nodes[A].Metrics.Received(BusMessageType.GrantM));
        Assert.Equal(0.0, cluster.Nodes[A].Metrics.HitRatio);
        Assert.Equal(1, cluster.Nodes[A].Metrics.Lines(LineState.Modified));
        Assert.Equal(1, cluster.Nodes[A].LineCount);
    }

    [Fact]
    public void Replacement_by_bytes_keeps_the_line_being_served()
    {
        var cluster = Cluster(n => new CacheOptions { MaxBytes = 16 });
        cluster.Put(A, "k1", "12345678");
        cluster.DeliverAll();
        cluster.Put(A, "k2", "12345678");
        cluster.DeliverAll();

        Assert.Equal(LineState.Invalid, cluster.State(A, "k1"));
        Assert.Equal(LineState.Modified, cluster.State(A, "k2"));
        Assert.True(cluster.Nodes[A].LineBytes <= 16);
    }

    [Fact]
    public void A_lost_home_drops_its_lines_and_fails_waiting_operations()
    {
        var cluster = Cluster();
        cluster.Get(A, "k");
        cluster.DeliverAll();
        var waiting = cluster.Put(A, "k", "v");   // E → M needs no home: completes now
        var miss = cluster.Get(A, "other");       // waits on the home

        cluster.CutLinks(Home);
        cluster.PeerDown(A, Home);

        Assert.Equal(CacheStatus.Ok, cluster.Completion(waiting).Status);
        Assert.Equal(CacheStatus.Unavailable, cluster.Completion(miss).Status);
        Assert.Equal(LineState.Invalid, cluster.State(A, "k"));
        Assert.Equal(0, cluster.Nodes[A].LineCount);
        Assert.Equal(CacheStatus.Unavailable, cluster.Completion(cluster.Get(A, "k")).Status);

        // The M line was dropped with the link: its write never reached the home (write-through avoids that).
        cluster.Nodes[A].PeerUp(Home);
        var after = cluster.Get(A, "k");
        cluster.DeliverAll();
        Assert.Equal(CacheStatus.NotFound, cluster.Completion(after).Status);
        Assert.Equal(LineState.Exclusive, cluster.Completion(after).State);
    }

    [Fact]
    public void Dirty_data_of_a_crashed_write_back_node_is_lost()
    {
        var cluster = Cluster();
        cluster.Put(A, "k", "v1");
        cluster.DeliverAll();

        cluster.CutLinks(A);
        cluster.PeerDown(Home, A);
        cluster.PeerDown(B, A);
        var read = cluster.Get(B, "k");
        cluster.DeliverAll();

        Assert.Equal(CacheStatus.NotFound, cluster.Completion(read).Status);
        Assert.Equal(B, cluster.Nodes[Home].InspectHome("k"u8)!.Value.Owner);
    }

    [Fact]
    public void Data_of_a_crashed_write_through_node_survives()
    {
        var cluster = Cluster(n => new CacheOptions { WriteThrough = n == A });
        cluster.Put(A, "k", "v1");
        cluster.DeliverAll();

        cluster.CutLinks(A);
        cluster.PeerDown(Home, A);
        cluster.PeerDown(B, A);
        var read = cluster.Get(B, "k");
        cluster.DeliverAll();

        Assert.Equal("v1", Text(cluster.Completion(read)));
        Assert.Equal(LineState.Exclusive, cluster.Completion(read).State);
    }

    [Fact]
    public void A_write_waiting_on_a_lost_sharer_completes()
    {
        var cluster = Cluster();
        cluster.Get(A, "k");
        cluster.DeliverAll();
        cluster.Get(B, "k");
        cluster.DeliverAll();

        var write = cluster.Put(Home, "k", "v");  // Inv to A and B
        cluster.DeliverOne(Home, B);
        cluster.DeliverOne(B, Home);
        Assert.False(cluster.Completions.ContainsKey(write));

        cluster.CutLinks(A);
        cluster.PeerDown(Home, A);
        Assert.Equal(LineState.Modified, cluster.Completion(write).State);
    }

    [Fact]
    public void A_read_by_a_lost_requester_still_keeps_the_owner_flush()
    {
        var cluster = Cluster();
        cluster.Put(B, "k", "v1");
        cluster.DeliverAll();

        cluster.Get(A, "k");
        cluster.DeliverOne(A, Home);              // BusRd from A: Fetch to B
        cluster.CutLinks(A);
        cluster.PeerDown(Home, A);
        cluster.PeerDown(B, A);
        cluster.DeliverAll();                     // B flushes v1 and keeps S

        var home = cluster.Nodes[Home].InspectHome("k"u8)!.Value;
        Assert.Equal(1UL, home.Version);
        Assert.Equal(1UL << B, home.Sharers);
        Assert.Equal(-1, home.Owner);
        Assert.False(home.Busy);
        Assert.Equal(LineState.Shared, cluster.State(B, "k"));
    }

    /// <summary>Found by the simulation (seed 24): the grant went to the restarted node.</summary>
    [Fact]
    public void A_grant_for_a_lost_requester_never_reaches_its_restarted_incarnation()
    {
        var cluster = Cluster();
        cluster.Get(B, "k");
        cluster.DeliverAll();

        cluster.Put(A, "k", "lost");
        cluster.DeliverOne(A, Home);              // BusRdX from A: Inv to B in flight
        cluster.CutLinks(A);
        cluster.PeerDown(Home, A);
        cluster.PeerDown(B, A);
        cluster.Restart(A);
        cluster.Nodes[Home].PeerUp(A);
        cluster.Nodes[B].PeerUp(A);
        var fresh = cluster.Put(A, "k", "fresh");  // the new incarnation asks too, queued behind
        cluster.DeliverAll();

        Assert.Equal(0, cluster.Nodes[A].Metrics.ProtocolErrors);
        Assert.Equal(1UL, cluster.Completion(fresh).Version);
        var home = cluster.Nodes[Home].InspectHome("k"u8)!.Value;
        Assert.Equal(A, home.Owner);
        Assert.False(home.Busy);
        Assert.Equal(LineState.Invalid, cluster.State(B, "k"));
    }

    [Fact]
    public void A_get_hit_allocates_nothing()
    {
        var core = new CacheNodeCore(0, 1, new FixedHomes(0), new CacheOptions());
        core.Put("k"u8, "value"u8, 1);
        var key = "k"u8.ToArray();
        var allocated = AllocationProbe.Measure(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                core.Get(key, (ulong)i);
                core.Get("k", (ulong)i);
                core.Output.Clear();
            }
        });

        Assert.Equal(0, allocated);
        Assert.Equal(LineState.Modified, core.Inspect(key).State);
    }

    [Fact]
    public void Oversized_keys_are_refused_at_the_edge()
    {
        var core = new CacheNodeCore(0, 1, new FixedHomes(0), new CacheOptions());
        Assert.Throws<ArgumentException>(() => core.Get(new string('x', BusFrameCodec.MaxKeyBytes + 1), 1));
        Assert.Throws<ArgumentException>(() => core.Put(new byte[BusFrameCodec.MaxKeyBytes + 1], "v"u8, 1));
    }

    [Fact]
    public void Misrouted_and_stale_messages_are_counted_and_ignored()
    {
        var cluster = Cluster();
        var stray = new BusMessage(BusMessageType.BusRd, A, B, 0, BusFlags.None, new("k"u8.ToArray()), default);
        Assert.True(cluster.Nodes[B].Receive(in stray));          // B is not home of "k"
        var ack = new BusMessage(BusMessageType.InvAck, A, Home, 0, BusFlags.None, new("k"u8.ToArray()), default);
        Assert.True(cluster.Nodes[Home].Receive(in ack));        // no transaction waits for it
        var foreign = new BusMessage(BusMessageType.InvAck, A, 7, 0, BusFlags.None, new("k"u8.ToArray()), default);
        Assert.False(cluster.Nodes[Home].Receive(in foreign));
        var unknown = new BusMessage((BusMessageType)200, A, Home, 0, BusFlags.None, new("k"u8.ToArray()), default);
        Assert.False(cluster.Nodes[Home].Receive(in unknown));

        Assert.Equal(1, cluster.Nodes[B].Metrics.ProtocolErrors);
        Assert.Equal(1, cluster.Nodes[Home].Metrics.ProtocolErrors);
        Assert.Empty(cluster.Nodes[B].Output.Messages);
    }
}
