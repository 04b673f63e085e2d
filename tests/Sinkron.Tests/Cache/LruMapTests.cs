using Sinkron.Nodes.Cache;
using Sinkron.Tests.Infrastructure;

namespace Sinkron.Tests.Cache;

public class LruMapTests
{
    private sealed class Entry(string key) : LruEntry(System.Text.Encoding.UTF8.GetBytes(key))
    {
        public bool IsPinned { get; set; }

        public override bool Pinned => IsPinned;

        public string Name => System.Text.Encoding.UTF8.GetString(Key);
    }

    private static Entry Add(LruMap<Entry> map, string key, long size = 1)
    {
        var entry = new Entry(key);
        map.Add(entry, size);
        return entry;
    }

    private static string Order(LruMap<Entry> map)
    {
        var names = new List<string>();
        for (var e = map.Oldest; e is not null; e = LruMap<Entry>.NewerThan(e))
        {
            names.Add(e.Name);
        }

        return string.Join(",", names);
    }

    [Fact]
    public void Capacity_by_entries_picks_the_least_recently_used()
    {
        var map = new LruMap<Entry>(maxEntries: 2, maxBytes: 1000);
        Add(map, "a");
        Add(map, "b");
        Assert.Null(map.FindVictim());

        Add(map, "c");
        Assert.True(map.IsOverCapacity);
        var victim = map.FindVictim()!;
        Assert.Equal("a", victim.Name);
        map.Remove(victim);
        Assert.Null(map.FindVictim());
        Assert.Equal("b,c", Order(map));
    }

    [Fact]
    public void Capacity_by_bytes_counts_sizes_and_resizes()
    {
        var map = new LruMap<Entry>(maxEntries: 100, maxBytes: 10);
        var a = Add(map, "a", 4);
        Add(map, "b", 4);
        Assert.Null(map.FindVictim());
        Assert.Equal(8, map.Bytes);

        map.Resize(a, 7);
        Assert.Equal(11, map.Bytes);
        Assert.Same(a, map.FindVictim());
        map.Remove(a);
        Assert.Equal(4, map.Bytes);
        Assert.False(map.IsOverCapacity);
    }

    [Fact]
    public void Get_touches_and_peek_does_not()
    {
        var map = new LruMap<Entry>(10, 1000);
        Add(map, "a");
        Add(map, "b");
        Add(map, "c");

        Assert.True(map.TryGet("a"u8, out _));
        Assert.Equal("b,c,a", Order(map));
        Assert.True(map.TryPeek("b"u8, out _));
        Assert.Equal("b,c,a", Order(map));
        Assert.True(map.TryGet("c"u8, out _));
        Assert.Equal("b,a,c", Order(map));
        Assert.False(map.TryGet("z"u8, out _));
        Assert.Equal("c", map.Newest!.Name);
    }

    [Fact]
    public void Pinned_entries_are_never_victims()
    {
        var map = new LruMap<Entry>(1, 1000);
        var a = Add(map, "a");
        var b = Add(map, "b");
        a.IsPinned = true;
        Assert.Same(b, map.FindVictim());
        b.IsPinned = true;
        Assert.Null(map.FindVictim());
    }

    [Fact]
    public void Remove_of_middle_head_and_tail_keeps_the_list_whole()
    {
        var map = new LruMap<Entry>(10, 1000);
        var a = Add(map, "a");
        var b = Add(map, "b");
        var c = Add(map, "c");
        var d = Add(map, "d");

        Assert.True(map.Remove(b));
        Assert.Equal("a,c,d", Order(map));
        Assert.True(map.Remove(a));
        Assert.True(map.Remove(d));
        Assert.Equal("c", Order(map));
        Assert.False(map.Remove(d));
        Assert.True(map.Remove(c));
        Assert.Equal("", Order(map));
        Assert.Equal(0, map.Count);
        Assert.Equal(0, map.Bytes);
    }

    [Fact]
    public void A_hit_allocates_nothing()
    {
        var map = new LruMap<Entry>(100, 100_000);
        var keys = new byte[50][];
        for (var i = 0; i < keys.Length; i++)
        {
            var entry = Add(map, "key-" + i);
            keys[i] = entry.Key.ToArray();
        }

        var hits = 0;
        var allocated = AllocationProbe.Measure(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                hits += map.TryGet(keys[i % keys.Length].AsSpan(), out _) ? 1 : 0;
            }
        });

        Assert.Equal(0, allocated);
        Assert.True(hits >= 10_000);
    }
}
