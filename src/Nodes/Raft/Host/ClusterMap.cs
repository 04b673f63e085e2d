using Sinkron.Nodes.Hosting;
using Sinkron.Wire.Transport;

namespace Sinkron.Nodes.Raft.Host;

/// <summary>
/// Raft's numeric ids for the named members of --peers: members sorted by name get 1..N, so every
/// node derives the same numbering from the same list. A node without --peers is a cluster of one.
/// </summary>
internal sealed class ClusterMap
{
    private ClusterMap(List<(ulong Id, string Name, WireEndpoint Endpoint)> members, ulong selfId)
    {
        Members = members;
        SelfId = selfId;
        Ids = [.. members.Select(m => m.Id)];
    }

    public IReadOnlyList<(ulong Id, string Name, WireEndpoint Endpoint)> Members { get; }

    public IReadOnlyList<ulong> Ids { get; }

    public ulong SelfId { get; }

    public static ClusterMap From(NodeSettings settings)
    {
        var named = settings.Peers.Count > 0 ? [.. settings.Peers] : new List<NamedEndpoint> { new(settings.Id, settings.Listen) };
        named.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        var members = new List<(ulong, string, WireEndpoint)>();
        ulong self = 0;
        for (var i = 0; i < named.Count; i++)
        {
            var id = (ulong)(i + 1);
            members.Add((id, named[i].Id, named[i].Endpoint));
            if (named[i].Id == settings.Id)
            {
                self = id;
            }
        }

        return new ClusterMap(members, self);
    }

    public string NameOf(ulong id) => id >= 1 && id <= (ulong)Members.Count ? Members[(int)id - 1].Name : "?";

    public string AddressOf(ulong id) => id >= 1 && id <= (ulong)Members.Count ? Members[(int)id - 1].Endpoint.ToString() : "";
}
