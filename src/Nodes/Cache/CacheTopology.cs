using Sinkron.Nodes.Hosting;
using Sinkron.Nodes.Ring;
using Sinkron.Wire.Transport;

namespace Sinkron.Nodes.Cache;

/// <summary>
/// Who is in the cache cluster and which node id each member has. Ids are positions in the members
/// sorted by name, so every node derives the same numbering from the same --peers list whatever its
/// order; key homes come from the consistent-hash ring over the same names.
/// </summary>
internal sealed class CacheTopology
{
    private readonly string[] names;
    private readonly WireEndpoint[] endpoints;

    public CacheTopology(IReadOnlyList<NamedEndpoint> peers, string selfId, WireEndpoint selfEndpoint)
    {
        var members = new List<NamedEndpoint>(peers);
        if (members.Count == 0)
        {
            members.Add(new NamedEndpoint(selfId, selfEndpoint));
        }

        if (members.Count > CacheNodeCore.MaxNodes)
        {
            throw new SettingsException($"a cache cluster has at most {CacheNodeCore.MaxNodes} nodes; --peers lists {members.Count}");
        }

        members.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        names = new string[members.Count];
        endpoints = new WireEndpoint[members.Count];
        var ring = new List<RingNode>(members.Count);
        for (var i = 0; i < members.Count; i++)
        {
            names[i] = members[i].Id;
            endpoints[i] = members[i].Endpoint;
            ring.Add(new RingNode(members[i].Id));
            if (members[i].Id == selfId)
            {
                SelfId = i;
            }
        }

        Homes = new RingKeyHomes(new HashRing(ring), names);
    }

    public int Count => names.Length;

    public int SelfId { get; }

    public IKeyHomes Homes { get; }

    public string NameOf(int id) => names[id];

    public WireEndpoint EndpointOf(int id) => endpoints[id];

    public bool TryFind(string name, out int id)
    {
        id = Array.IndexOf(names, name);
        return id >= 0;
    }
}
