namespace Sinkron.Nodes.Cache;

/// <summary>
/// Loss of a peer (its bus link dropped, or it crashed). Both ends of a broken link must be told:
/// each drops what it can no longer trust. Dirty data in an M line of a crashed node is lost
/// unless the writer ran write-through; the home's memory then keeps the last written-back version.
/// </summary>
internal sealed partial class CacheNodeCore
{
    private readonly List<CacheLine> scratchLines = [];

    public void PeerDown(int peer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(peer);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(peer, nodeCount);
        if (peer == nodeId || IsDown(peer))
        {
            return;
        }

        downPeers |= Bit(peer);
        DropLinesHomedAt(peer);
        foreach (var entry in homeEntries.Values)
        {
            Reclaim(entry, peer);
        }

        Settle();
    }

    /// <summary>The peer is reachable again (a fresh process, or a healed link after both ends ran <see cref="PeerDown"/>).</summary>
    public void PeerUp(int peer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(peer);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(peer, nodeCount);
        downPeers &= ~Bit(peer);
    }

    /// <summary>Without its home no transaction on these keys can be serialized: drop the lines, fail the waiting ops.</summary>
    private void DropLinesHomedAt(int peer)
    {
        scratchLines.Clear();
        foreach (var line in lines.Entries)
        {
            if (line.Home == peer)
            {
                scratchLines.Add(line);
            }
        }

        foreach (var line in scratchLines)
        {
            line.Pending = null;
            line.HeadCounted = false;
            Invalidate(line);

            // Pump fails each waiting op with Unavailable, then releases the idle line.
            Pump(line);
        }

        scratchLines.Clear();
    }

    private void Reclaim(HomeEntry entry, int peer)
    {
        var bit = Bit(peer);
        entry.Sharers &= ~bit;
        if (entry.Owner == peer)
        {
            entry.Owner = -1;
        }

        if (entry.Waiting is { Count: > 0 } waiting)
        {
            for (var n = waiting.Count; n > 0; n--)
            {
                var request = waiting.Dequeue();
                if (request.From != peer)
                {
                    waiting.Enqueue(request);
                }
            }
        }

        // A transaction the lost peer asked for still runs to the end (answers to its Fetch or
        // Inv may carry flushed data); FinishRead/FinishWrite then drop the grant and forget the peer.
        if (entry.Busy)
        {
            if (entry.Current.From == peer)
            {
                entry.RequesterLost = true;
            }
            else if (entry.AwaitingFetch == peer)
            {
                FetchAnswered(entry, peer, keptCopy: false);
            }
            else if ((entry.AwaitingAcks & bit) != 0)
            {
                InvAnswered(entry, peer);
            }
        }

        Advance(entry);
    }
}
