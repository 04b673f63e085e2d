namespace Sinkron.Nodes.Ring;

/// <summary>
/// One node's part of the key space. <see cref="FairShare"/> is weight / total weight;
/// <see cref="ArcShare"/> is the exact fraction of the 2^64 hash space its virtual nodes own;
/// <see cref="SampleShare"/> is the fraction of the sample keys that landed on it.
/// </summary>
internal readonly record struct NodeShare(string Id, int Weight, double FairShare, double ArcShare, int SampleKeys, double SampleShare)
{
    /// <summary>The worse of the exact and sampled shares, relative to the fair share (1.0 = perfect).</summary>
    public double MaxOverFair => Math.Max(ArcShare, SampleShare) / FairShare;
}

internal sealed record RingBalanceReport(IReadOnlyList<NodeShare> Nodes, int SampleCount)
{
    public double MaxOverFair
    {
        get
        {
            var max = 0.0;
            foreach (var node in Nodes)
            {
                max = Math.Max(max, node.MaxOverFair);
            }

            return max;
        }
    }
}

internal static class RingBalance
{
    private const double HashSpace = 18446744073709551616.0; // 2^64

    public static RingBalanceReport Compute(HashRing ring, IReadOnlyList<string> sampleKeys)
    {
        var arcs = new double[ring.Nodes.Count];
        var last = ring.PointCount - 1;
        for (var i = 0; i <= last; i++)
        {
            // The arc ending at point i starts just after point i-1; for point 0 it wraps past 2^64,
            // which unchecked subtraction computes exactly.
            var previous = ring.PointAt(i == 0 ? last : i - 1);
            var length = unchecked(ring.PointAt(i) - previous);
            arcs[ring.OwnerAt(i)] += ring.PointCount == 1 ? HashSpace : length;
        }

        var counts = new int[ring.Nodes.Count];
        foreach (var key in sampleKeys)
        {
            counts[ring.LookupIndex(key)]++;
        }

        var totalWeight = (double)ring.TotalWeight;
        var shares = new NodeShare[ring.Nodes.Count];
        for (var i = 0; i < shares.Length; i++)
        {
            var node = ring.Nodes[i];
            var sampled = sampleKeys.Count == 0 ? 0 : (double)counts[i] / sampleKeys.Count;
            shares[i] = new NodeShare(node.Id, node.Weight, node.Weight / totalWeight, arcs[i] / HashSpace, counts[i], sampled);
        }

        return new RingBalanceReport(shares, sampleKeys.Count);
    }
}
