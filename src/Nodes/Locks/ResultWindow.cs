using System.Numerics;

namespace Sinkron.Nodes.Locks;

/// <summary>
/// One session's cached results, sorted by sequence number: a slice <c>[start, start + count)</c> of one array.
/// Clients send nearly in order and acknowledge from the bottom, so inserts usually append and pruning usually
/// moves <c>start</c>; an out-of-order insert shifts the few entries above it. Allocates only to grow or shrink.
/// </summary>
internal sealed class ResultWindow
{
    private const int InitialCapacity = 4;

    private Entry[] entries = [];
    private int start;

    public int Count { get; private set; }

    public int Capacity => entries.Length;

    public ulong LowestSeq => entries[start].Seq;

    public Entry this[int i] => entries[start + i];

    public bool TryGet(ulong seq, out LockResult result)
    {
        var at = Find(seq);
        var found = at >= 0;
        result = found ? entries[at].Result : default;
        return found;
    }

    /// <summary>Replaces the result of a cached seq; false when it is not cached (pruned, evicted or never seen).</summary>
    public bool TryUpdate(ulong seq, in LockResult result)
    {
        var at = Find(seq);
        if (at < 0)
        {
            return false;
        }

        entries[at] = new Entry(seq, result);
        return true;
    }

    /// <summary>Adds a seq that is not cached yet, keeping the order.</summary>
    public void Add(ulong seq, in LockResult result)
    {
        var at = LowerBound(seq);
        if (start + Count == entries.Length)
        {
            var moved = MakeRoom();
            at += moved;
        }

        var end = start + Count;
        if (at < end)
        {
            Array.Copy(entries, at, entries, at + 1, end - at);
        }

        entries[at] = new Entry(seq, result);
        Count++;
    }

    public void RemoveLowest()
    {
        entries[start] = default;
        start++;
        Count--;
        if (Count == 0)
        {
            start = 0;
        }
    }

    /// <summary>Drops every entry with a seq below <paramref name="seq"/>.</summary>
    public void RemoveBelow(ulong seq)
    {
        var end = LowerBound(seq);
        if (end == start)
        {
            return;
        }

        Array.Clear(entries, start, end - start);
        Count -= end - start;
        start = Count == 0 ? 0 : end;
    }

    /// <summary>
    /// Compacts the live entries to the front of the array. Doubles it when at least half full; when at most an
    /// eighth full, shrinks it to four times the entries, so a session that once had many requests in flight gives
    /// the memory back. The gap between the two thresholds keeps a steady window from reallocating back and forth.
    /// Returns how far the entries moved (negative: toward the front).
    /// </summary>
    private int MakeRoom()
    {
        var capacity = entries.Length;
        if (Count * 2 >= capacity)
        {
            capacity = Math.Max(InitialCapacity, capacity * 2);
        }
        else if (Count * 8 <= capacity && capacity > InitialCapacity)
        {
            capacity = Math.Max(InitialCapacity, (int)BitOperations.RoundUpToPowerOf2((uint)Count * 4));
        }

        var moved = -start;
        if (capacity == entries.Length)
        {
            Array.Copy(entries, start, entries, 0, Count);
            Array.Clear(entries, Count, start);
        }
        else
        {
            var resized = new Entry[capacity];
            Array.Copy(entries, start, resized, 0, Count);
            entries = resized;
        }

        start = 0;
        return moved;
    }

    private int Find(ulong seq)
    {
        var at = LowerBound(seq);
        return at < start + Count && entries[at].Seq == seq ? at : -1;
    }

    /// <summary>Array index of the first entry whose seq is at least <paramref name="seq"/>.</summary>
    private int LowerBound(ulong seq)
    {
        int low = start, high = start + Count;
        while (low < high)
        {
            var mid = (int)((uint)(low + high) >> 1);
            if (entries[mid].Seq < seq)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    internal readonly record struct Entry(ulong Seq, LockResult Result);
}
