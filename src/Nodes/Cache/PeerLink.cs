using Sinkron.Wire.Server;
using Sinkron.Wire.Transport;

namespace Sinkron.Nodes.Cache;

/// <summary>
/// The bus link with one peer: two TCP connections, one per direction (ours carries our messages,
/// the one it dialled carries its messages), so each direction is FIFO as the core requires.
/// The link is up only while both are open; losing either takes the whole link down on both ends.
/// Guarded by the cache service's lock.
/// </summary>
internal sealed class PeerLink(int id, string name, WireEndpoint endpoint)
{
    /// <summary>Marks an inbound connection retired by a link reset: frames still arriving on it are stale.</summary>
    public static readonly object Retired = new();

    public int Id { get; } = id;

    public string Name { get; } = name;

    public WireEndpoint Endpoint { get; } = endpoint;

    /// <summary>The connection we dialled; our bus frames go out on it.</summary>
    public WireConnection? Outbound { get; set; }

    /// <summary>Cancelled to make the dialling loop drop <see cref="Outbound"/> and dial again.</summary>
    public CancellationTokenSource? Reset { get; set; }

    /// <summary>The connection the peer dialled; its bus frames arrive on it.</summary>
    public ServerConnection? Inbound { get; set; }

    /// <summary>Both directions open and the core told <c>PeerUp</c>.</summary>
    public bool Up { get; set; }
}
