using System.Diagnostics;

namespace Sinkron.Nodes.Raft.Host;

/// <summary>
/// A trailing follower. A leader commits on the acknowledgements of a majority, itself included, so of
/// three nodes it needs one follower's. It sends to that many followers at once and lets the others
/// trail: their messages leave in a bundle once the oldest has waited <see cref="TrailTicks"/>. A
/// trailing follower still gets every entry and heartbeat, a few milliseconds later, and writes,
/// fsyncs and acknowledges a bundle in one pass instead of one per batch. On the 3-node lock load its
/// fsyncs fell ~4x and the cluster's throughput rose ~10 %.
/// A prompt follower that stops acknowledging (slow, dead, cut off) is replaced within 20 ms by a
/// trailing one that still does, whose bundles meanwhile carry the commits; with too few
/// acknowledging followers none trails.
/// </summary>
internal sealed partial class RaftHost
{
    /// <summary>How long a trailing follower's oldest message waits for more to join it.</summary>
    private static readonly long TrailTicks = Stopwatch.Frequency * 5 / 1000;

    /// <summary>
    /// A prompt follower must have acknowledged within this long. Under load it does so every ~1 ms;
    /// an idle cluster's heartbeats (every 50 ms) are slower, so at rest every follower is prompt.
    /// </summary>
    private static readonly long AckFreshTicks = Stopwatch.Frequency * 20 / 1000;

    private readonly RaftPeer[] _peerList;

    /// <summary>The followers trailing now, for STATUS: their names, or "-".</summary>
    public string TrailingNames
    {
        get
        {
            var names = string.Join(",", _peerList.Where(p => p.Trailing).Select(p => p.Name));
            return names.Length == 0 ? "-" : names;
        }
    }

    private void NoteAcknowledgedBy(ulong peerId, long now)
    {
        if (_peers.TryGetValue(peerId, out var peer))
        {
            peer.LastAcknowledged = now;
        }
    }

    /// <summary>Once per pass, on a leader (see <see cref="TrailingChoice"/>).</summary>
    private void ChooseTrailing()
    {
        var count = _peerList.Length;
        var needed = (count + 1) / 2;
        Span<bool> trailing = stackalloc bool[count];
        if (_raft.Role == RaftRole.Leader && needed < count)
        {
            var now = Stopwatch.GetTimestamp();
            Span<bool> fresh = stackalloc bool[count];
            Span<long> lastAcknowledged = stackalloc long[count];
            for (var i = 0; i < count; i++)
            {
                var peer = _peerList[i];
                lastAcknowledged[i] = peer.LastAcknowledged;
                fresh[i] = peer.IsConnected && now - peer.LastAcknowledged < AckFreshTicks;
                trailing[i] = peer.Trailing;
            }

            TrailingChoice.Choose(needed, fresh, lastAcknowledged, trailing);
        }

        for (var i = 0; i < count; i++)
        {
            _peerList[i].Trailing = trailing[i];
        }
    }

    /// <summary>Sends each peer's queued messages, except a trailing peer's while its oldest is younger than <see cref="TrailTicks"/>.</summary>
    private void FlushPeers()
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var peer in _peerList)
        {
            if (!peer.Trailing || now - peer.QueuedSince >= TrailTicks)
            {
                peer.Flush();
            }
        }
    }
}
