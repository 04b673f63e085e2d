using System.Diagnostics.CodeAnalysis;

namespace Sinkron.Nodes.Cache;

/// <summary>
/// A map from key to entry that remembers recency: O(1) lookup, touch, insert and remove, over a
/// dictionary plus an intrusive doubly linked list (newest at the head). It chooses victims when
/// over capacity, by entry count or by bytes, but does not evict on its own: the owner decides
/// what eviction means (for a cache line, a message to the home node).
/// </summary>
internal sealed class LruMap<TEntry>
    where TEntry : LruEntry
{
    private readonly Dictionary<byte[], TEntry> map = new(ByteKeyComparer.Instance);
    private readonly Dictionary<byte[], TEntry>.AlternateLookup<ReadOnlySpan<byte>> bySpan;
    private LruEntry? newest;
    private LruEntry? oldest;

    public LruMap(int maxEntries, long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        MaxEntries = maxEntries;
        MaxBytes = maxBytes;
        bySpan = map.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public int MaxEntries { get; }

    public long MaxBytes { get; }

    public int Count => map.Count;

    public long Bytes { get; private set; }

    public bool IsOverCapacity => map.Count > MaxEntries || Bytes > MaxBytes;

    public TEntry? Newest => (TEntry?)newest;

    public TEntry? Oldest => (TEntry?)oldest;

    /// <summary>Every entry, in no particular order; do not add or remove while enumerating.</summary>
    public Dictionary<byte[], TEntry>.ValueCollection Entries => map.Values;

    /// <summary>Finds an entry and makes it the most recently used.</summary>
    public bool TryGet(ReadOnlySpan<byte> key, [MaybeNullWhen(false)] out TEntry entry)
    {
        if (!bySpan.TryGetValue(key, out entry))
        {
            return false;
        }

        Touch(entry);
        return true;
    }

    /// <summary>Finds an entry without changing its recency (protocol traffic is not a use).</summary>
    public bool TryPeek(ReadOnlySpan<byte> key, [MaybeNullWhen(false)] out TEntry entry) => bySpan.TryGetValue(key, out entry);

    public void Add(TEntry entry, long size)
    {
        map.Add(entry.Key, entry);
        entry.Size = size;
        Bytes += size;
        LinkAsNewest(entry);
    }

    public void Touch(TEntry entry)
    {
        if (!ReferenceEquals(newest, entry))
        {
            Unlink(entry);
            LinkAsNewest(entry);
        }
    }

    public void Resize(TEntry entry, long size)
    {
        Bytes += size - entry.Size;
        entry.Size = size;
    }

    public bool Remove(TEntry entry)
    {
        if (!map.Remove(entry.Key, out var removed) || !ReferenceEquals(removed, entry))
        {
            return false;
        }

        Bytes -= entry.Size;
        Unlink(entry);
        return true;
    }

    /// <summary>The least recently used unpinned entry while the map is over capacity; null otherwise.</summary>
    public TEntry? FindVictim()
    {
        if (!IsOverCapacity)
        {
            return null;
        }

        for (var e = oldest; e is not null; e = e.Newer)
        {
            if (!e.Pinned)
            {
                return (TEntry)e;
            }
        }

        return null;
    }

    /// <summary>The next more recently used entry, for walking from <see cref="Oldest"/>.</summary>
    public static TEntry? NewerThan(TEntry entry) => (TEntry?)entry.Newer;

    private void LinkAsNewest(LruEntry entry)
    {
        entry.Older = newest;
        entry.Newer = null;
        if (newest is not null)
        {
            newest.Newer = entry;
        }

        newest = entry;
        oldest ??= entry;
    }

    private void Unlink(LruEntry entry)
    {
        if (entry.Older is not null)
        {
            entry.Older.Newer = entry.Newer;
        }
        else
        {
            oldest = entry.Newer;
        }

        if (entry.Newer is not null)
        {
            entry.Newer.Older = entry.Older;
        }
        else
        {
            newest = entry.Older;
        }

        entry.Older = null;
        entry.Newer = null;
    }
}
