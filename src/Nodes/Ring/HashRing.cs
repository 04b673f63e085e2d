using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Sinkron.Nodes.Ring;

/// <summary>
/// An immutable consistent-hash ring with weighted virtual nodes. A key belongs to the first
/// virtual node clockwise from its hash. Joins and leaves build a new ring
/// (<see cref="WithNode"/>, <see cref="WithoutNode"/>), so readers never see a half-built one
/// and can swap rings with a single reference write.
/// </summary>
internal sealed class HashRing
{
    public const int DefaultVnodesPerWeight = 128;

    // Keys up to this many UTF-8 bytes are hashed from the stack; longer ones borrow from the pool.
    private const int StackKeyBytes = 256;

    private readonly RingNode[] nodes;
    private readonly ulong[] points;
    private readonly int[] owners;

    public HashRing(IEnumerable<RingNode> members, int vnodesPerWeight = DefaultVnodesPerWeight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(vnodesPerWeight, 1);
        var list = new List<RingNode>(members);
        if (list.Count == 0)
        {
            throw new ArgumentException("A ring needs at least one node.", nameof(members));
        }

        // Sorted by id so equal member sets give identical rings whatever order they were listed in.
        list.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        for (var i = 0; i < list.Count; i++)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(list[i].Weight, 1, nameof(members));
            if (i > 0 && list[i].Id == list[i - 1].Id)
            {
                throw new ArgumentException($"Node '{list[i].Id}' is listed twice.", nameof(members));
            }
        }

        nodes = [.. list];
        VnodesPerWeight = vnodesPerWeight;
        var total = 0;
        foreach (var node in nodes)
        {
            total += node.Weight * vnodesPerWeight;
        }

        var entries = new (ulong Point, int Owner)[total];
        var n = 0;
        for (var owner = 0; owner < nodes.Length; owner++)
        {
            var id = Encoding.UTF8.GetBytes(nodes[owner].Id);
            var count = nodes[owner].Weight * vnodesPerWeight;
            for (var v = 0; v < count; v++)
            {
                entries[n++] = (VnodePoint(id, v), owner);
            }
        }

        // A 64-bit collision is astronomically unlikely; ordering ties by owner keeps even that deterministic.
        Array.Sort(entries, static (a, b) => a.Point != b.Point ? a.Point.CompareTo(b.Point) : a.Owner.CompareTo(b.Owner));
        points = new ulong[total];
        owners = new int[total];
        for (var i = 0; i < total; i++)
        {
            points[i] = entries[i].Point;
            owners[i] = entries[i].Owner;
        }
    }

    public int VnodesPerWeight { get; }

    /// <summary>The members, sorted by id; <see cref="LookupIndex(ReadOnlySpan{byte})"/> indexes this list.</summary>
    public IReadOnlyList<RingNode> Nodes => nodes;

    public int PointCount => points.Length;

    public int TotalWeight
    {
        get
        {
            var total = 0;
            foreach (var node in nodes)
            {
                total += node.Weight;
            }

            return total;
        }
    }

    public ulong PointAt(int index) => points[index];

    public int OwnerAt(int index) => owners[index];

    public int IndexOf(string id)
    {
        for (var i = 0; i < nodes.Length; i++)
        {
            if (nodes[i].Id == id)
            {
                return i;
            }
        }

        return -1;
    }

    public string Lookup(string key) => nodes[LookupIndex(key)].Id;

    public string Lookup(ReadOnlySpan<byte> key) => nodes[LookupIndex(key)].Id;

    public int LookupIndex(ReadOnlySpan<byte> key) => OwnerOfHash(RingHash.Hash(key));

    public int LookupIndex(string key)
    {
        var max = Encoding.UTF8.GetMaxByteCount(key.Length);
        if (max <= StackKeyBytes)
        {
            Span<byte> buffer = stackalloc byte[StackKeyBytes];
            var length = Encoding.UTF8.GetBytes(key, buffer);
            return LookupIndex(buffer[..length]);
        }

        var rented = ArrayPool<byte>.Shared.Rent(max);
        try
        {
            var length = Encoding.UTF8.GetBytes(key, rented);
            return LookupIndex(rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public HashRing WithNode(RingNode node)
    {
        var list = new List<RingNode>(nodes) { node };
        return new HashRing(list, VnodesPerWeight);
    }

    public HashRing WithoutNode(string id)
    {
        var list = new List<RingNode>(nodes.Length);
        foreach (var node in nodes)
        {
            if (node.Id != id)
            {
                list.Add(node);
            }
        }

        if (list.Count == nodes.Length)
        {
            throw new ArgumentException($"Node '{id}' is not on the ring.", nameof(id));
        }

        return new HashRing(list, VnodesPerWeight);
    }

    private int OwnerOfHash(ulong hash)
    {
        var index = points.AsSpan().BinarySearch(hash);
        if (index < 0)
        {
            index = ~index;
            if (index == points.Length)
            {
                index = 0;
            }
        }

        return owners[index];
    }

    private static ulong VnodePoint(byte[] id, int vnode)
    {
        Span<byte> suffix = stackalloc byte[5];
        suffix[0] = (byte)'#';
        BinaryPrimitives.WriteInt32LittleEndian(suffix[1..], vnode);
        return RingHash.Finish(RingHash.Append(RingHash.Append(RingHash.Start, id), suffix));
    }
}
