using Sinkron.Nodes.Ring;

namespace Sinkron.Nodes.Cache;

/// <summary>Which cache node is home (memory copy, directory, serialization point) for a key.</summary>
internal interface IKeyHomes
{
    int HomeOf(ReadOnlySpan<byte> key);
}

/// <summary>Homes by the consistent-hash ring; nodeNames[id] is the ring id of cache node id.</summary>
internal sealed class RingKeyHomes : IKeyHomes
{
    private readonly HashRing ring;
    private readonly int[] nodeIdByRingIndex;

    public RingKeyHomes(HashRing ring, IReadOnlyList<string> nodeNames)
    {
        this.ring = ring;
        nodeIdByRingIndex = new int[ring.Nodes.Count];
        for (var i = 0; i < nodeIdByRingIndex.Length; i++)
        {
            nodeIdByRingIndex[i] = -1;
            for (var id = 0; id < nodeNames.Count; id++)
            {
                if (nodeNames[id] == ring.Nodes[i].Id)
                {
                    nodeIdByRingIndex[i] = id;
                }
            }

            if (nodeIdByRingIndex[i] < 0)
            {
                throw new ArgumentException($"Ring node '{ring.Nodes[i].Id}' has no cache node id.", nameof(nodeNames));
            }
        }
    }

    public int HomeOf(ReadOnlySpan<byte> key) => nodeIdByRingIndex[ring.LookupIndex(key)];
}
