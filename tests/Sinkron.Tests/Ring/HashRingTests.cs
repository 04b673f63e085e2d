using System.Text;
using Sinkron.Nodes.Ring;

namespace Sinkron.Tests.Ring;

public class HashRingTests
{
    private static readonly string[] QueueNames = MakeNames(100_000);

    private static string[] MakeNames(int count)
    {
        var names = new string[count];
        for (var i = 0; i < count; i++)
        {
            names[i] = "queue-" + i;
        }

        return names;
    }

    private static HashRing Ring(params string[] ids)
    {
        var nodes = new RingNode[ids.Length];
        for (var i = 0; i < ids.Length; i++)
        {
            nodes[i] = new RingNode(ids[i]);
        }

        return new HashRing(nodes);
    }

    [Fact]
    public void Three_nodes_stay_within_fifteen_percent_of_fair_share()
    {
        var ring = Ring("redis1", "redis2", "redis3");
        var report = RingBalance.Compute(ring, QueueNames);

        Assert.Equal(3 * 128, ring.PointCount);
        var arcTotal = 0.0;
        foreach (var node in report.Nodes)
        {
            arcTotal += node.ArcShare;
            Assert.True(node.SampleShare <= 1.15 * node.FairShare, $"{node.Id} holds {node.SampleShare:P1} of names");
            Assert.True(node.ArcShare <= 1.15 * node.FairShare, $"{node.Id} owns {node.ArcShare:P1} of the hash space");
        }

        Assert.Equal(1.0, arcTotal, 9);
        Assert.True(report.MaxOverFair <= 1.15);
    }

    [Fact]
    public void Adding_a_fourth_node_moves_a_quarter_of_names_all_to_it()
    {
        var before = Ring("redis1", "redis2", "redis3");
        var after = before.WithNode(new RingNode("redis4"));
        var report = RingMovement.Compute(before, after, QueueNames);

        Assert.InRange(report.MovedFraction, 0.20, 0.30);
        Assert.Equal(report.Moves.Count, report.Count(null, "redis4"));
    }

    [Fact]
    public void Removing_a_node_moves_only_its_names()
    {
        var before = Ring("redis1", "redis2", "redis3", "redis4");
        var after = before.WithoutNode("redis2");
        var report = RingMovement.Compute(before, after, QueueNames);

        var owned = 0;
        foreach (var name in QueueNames)
        {
            if (before.Lookup(name) == "redis2")
            {
                owned++;
            }
        }

        Assert.Equal(owned, report.Moves.Count);
        Assert.Equal(owned, report.Count("redis2", null));
        Assert.Equal(0, report.Count(null, "redis2"));
    }

    [Fact]
    public void Weights_shift_share_proportionally()
    {
        var ring = new HashRing([new RingNode("redis1", 1), new RingNode("redis2", 2), new RingNode("redis3", 1)]);
        var report = RingBalance.Compute(ring, QueueNames);

        Assert.Equal(4 * 128, ring.PointCount);
        foreach (var node in report.Nodes)
        {
            Assert.Equal(node.Weight / 4.0, node.FairShare, 9);
            Assert.InRange(node.SampleShare, node.FairShare * 0.85, node.FairShare * 1.15);
        }

        var heavy = report.Nodes[ring.IndexOf("redis2")];
        var light = report.Nodes[ring.IndexOf("redis1")];
        Assert.InRange(heavy.SampleShare / light.SampleShare, 1.6, 2.4);
    }

    [Fact]
    public void Lookup_is_deterministic_across_instances_and_member_order()
    {
        var a = Ring("redis1", "redis2", "redis3");
        var b = Ring("redis3", "redis1", "redis2");
        for (var i = 0; i < 10_000; i++)
        {
            Assert.Equal(a.Lookup(QueueNames[i]), b.Lookup(QueueNames[i]));
        }

        // Pinned values: a change here means data would move on upgrade.
        Assert.Equal(0x626a4c5ac6134828UL, RingHash.Hash("queue-0"u8));
    }

    [Fact]
    public void String_and_byte_lookups_agree_including_long_keys()
    {
        var ring = Ring("redis1", "redis2", "redis3");
        var longKey = new string('é', 1000);
        foreach (var key in new[] { "", "a", "queue-42", "ключ", longKey })
        {
            Assert.Equal(ring.LookupIndex(Encoding.UTF8.GetBytes(key)), ring.LookupIndex(key));
        }
    }

    [Fact]
    public void Lookup_allocates_nothing()
    {
        var ring = Ring("redis1", "redis2", "redis3");
        var bytes = "queue-bytes"u8.ToArray();
        var sink = 0;
        for (var i = 0; i < 1000; i++)
        {
            sink += ring.LookupIndex(QueueNames[i]) + ring.LookupIndex(bytes);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            sink += ring.LookupIndex(QueueNames[i]);
            sink += ring.LookupIndex(bytes);
            sink += ring.Lookup(QueueNames[i]).Length;
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        Assert.True(sink >= 0);
    }

    [Fact]
    public void Invalid_members_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new HashRing([]));
        Assert.Throws<ArgumentException>(() => new HashRing([new RingNode("a"), new RingNode("a")]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HashRing([new RingNode("a", 0)]));
        Assert.Throws<ArgumentException>(() => Ring("a").WithoutNode("b"));
    }
}
