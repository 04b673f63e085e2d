using System.Buffers;

namespace Sinkron.Nodes.Cache;

/// <summary>
/// The home role: the memory copy and directory of the keys homed here, and the per-key
/// serialization of transactions (one in flight, the rest waiting in FIFO).
/// </summary>
internal sealed partial class CacheNodeCore
{
    private void OnRequest(ReadOnlySpan<byte> key, in BusMessage message)
    {
        var entry = HomeEntryFor(key);
        if (entry is null)
        {
            return;
        }

        var value = message.Type == BusMessageType.WriteThrough ? message.Value.ToArray() : null;
        var request = new HomeRequest(message.Type, message.From, value, message.IsTombstone);
        if (entry.Busy)
        {
            (entry.Waiting ??= new Queue<HomeRequest>()).Enqueue(request);
            return;
        }

        Start(entry, request);
        Advance(entry);
    }

    /// <summary>
    /// Eviction notices are applied at once, not queued: if one crossed a Fetch or Inv of the
    /// transaction in flight, the evicting node's "no copy" answer follows it on the same link,
    /// and the written-back data must already be in memory when that answer arrives.
    /// </summary>
    private void OnPut(ReadOnlySpan<byte> key, in BusMessage message)
    {
        if (!homeBySpan.TryGetValue(key, out var entry))
        {
            Metrics.ProtocolErrors++;
            return;
        }

        // A Put from a node the directory no longer lists is stale (the node was declared down
        // and reclaimed): ignoring it keeps memory at what the surviving nodes agreed on.
        var from = message.From;
        switch (message.Type)
        {
            case BusMessageType.PutM when entry.Owner == from:
                entry.Absorb(message.Version, message.Value.ToArray(), message.IsTombstone);
                entry.Owner = -1;
                break;
            case BusMessageType.PutE when entry.Owner == from:
                entry.Owner = -1;
                break;
            case BusMessageType.PutS:
                entry.Sharers &= ~Bit(from);
                break;
            default:
                break;
        }
    }

    private void OnFetchAck(ReadOnlySpan<byte> key, in BusMessage message)
    {
        var from = message.From;
        if (!homeBySpan.TryGetValue(key, out var entry) || !entry.Busy || entry.AwaitingFetch != from)
        {
            Metrics.ProtocolErrors++;
            return;
        }

        if (message.HasData)
        {
            entry.Absorb(message.Version, message.Value.ToArray(), message.IsTombstone);
        }

        FetchAnswered(entry, from, (message.Flags & BusFlags.KeptCopy) != 0);
        Advance(entry);
    }

    private void OnInvAck(ReadOnlySpan<byte> key, in BusMessage message)
    {
        var from = message.From;
        if (!homeBySpan.TryGetValue(key, out var entry) || !entry.Busy || (entry.AwaitingAcks & Bit(from)) == 0)
        {
            Metrics.ProtocolErrors++;
            return;
        }

        if (message.HasData)
        {
            entry.Absorb(message.Version, message.Value.ToArray(), message.IsTombstone);
        }

        InvAnswered(entry, from);
        Advance(entry);
    }

    private HomeEntry? HomeEntryFor(ReadOnlySpan<byte> key)
    {
        if (homeBySpan.TryGetValue(key, out var entry))
        {
            return entry;
        }

        if (homes.HomeOf(key) != nodeId)
        {
            Metrics.ProtocolErrors++;
            return null;
        }

        entry = new HomeEntry(key.ToArray());
        homeEntries.Add(entry.Key, entry);
        return entry;
    }

    private void Start(HomeEntry entry, HomeRequest request)
    {
        entry.Busy = true;
        entry.Current = request;
        var requester = Bit(request.From);

        // Whatever copy the requester held is replaced by the grant.
        if (entry.Owner == request.From)
        {
            entry.Owner = -1;
        }

        if (request.Type == BusMessageType.BusRd)
        {
            entry.Sharers &= ~requester;
            if (entry.Owner >= 0)
            {
                entry.AwaitingFetch = entry.Owner;
                Send(BusMessageType.Fetch, entry.Owner, 0, BusFlags.None, entry.Key, null);
                return;
            }

            FinishRead(entry);
            return;
        }

        var targets = (entry.Sharers | (entry.Owner >= 0 ? Bit(entry.Owner) : 0)) & ~requester;
        entry.AwaitingAcks = targets;
        for (var node = 0; targets != 0; node++, targets >>= 1)
        {
            if ((targets & 1) != 0)
            {
                Metrics.InvalidationsSent++;
                Send(BusMessageType.Inv, node, 0, BusFlags.None, entry.Key, null);
            }
        }

        if (entry.AwaitingAcks == 0)
        {
            FinishWrite(entry);
        }
    }

    private void FetchAnswered(HomeEntry entry, int from, bool keptCopy)
    {
        entry.AwaitingFetch = -1;
        if (entry.Owner == from)
        {
            entry.Owner = -1;
        }

        if (keptCopy)
        {
            entry.Sharers |= Bit(from);
        }

        FinishRead(entry);
    }

    private void InvAnswered(HomeEntry entry, int from)
    {
        entry.AwaitingAcks &= ~Bit(from);
        entry.Sharers &= ~Bit(from);
        if (entry.Owner == from)
        {
            entry.Owner = -1;
        }

        if (entry.AwaitingAcks == 0)
        {
            FinishWrite(entry);
        }
    }

    private void FinishRead(HomeEntry entry)
    {
        var requester = entry.Current.From;
        BusMessageType grant;
        if ((entry.Sharers & ~Bit(requester)) == 0 && entry.Owner < 0)
        {
            entry.Owner = requester;
            grant = BusMessageType.GrantE;
        }
        else
        {
            entry.Sharers |= Bit(requester);
            grant = BusMessageType.GrantS;
        }

        if (!entry.RequesterLost)
        {
            Send(grant, requester, entry.Version, DataFlags(entry.Tombstone), entry.Key, entry.Value);
        }

        EndTransaction(entry, requester);
    }

    private void FinishWrite(HomeEntry entry)
    {
        var request = entry.Current;
        entry.Sharers = 0;
        entry.Owner = request.From;
        if (request.Type == BusMessageType.WriteThrough)
        {
            entry.Value = request.Value ?? [];
            entry.Tombstone = request.Tombstone;
            entry.Version++;
            if (!entry.RequesterLost)
            {
                Send(BusMessageType.WriteAck, request.From, entry.Version, BusFlags.None, entry.Key, null);
            }
        }
        else if (!entry.RequesterLost)
        {
            Send(BusMessageType.GrantM, request.From, entry.Version, DataFlags(entry.Tombstone), entry.Key, entry.Value);
        }

        EndTransaction(entry, request.From);
    }

    /// <summary>Closes the transaction; a lost requester never received its grant, so the directory forgets it.</summary>
    private static void EndTransaction(HomeEntry entry, int requester)
    {
        if (entry.RequesterLost)
        {
            entry.Sharers &= ~Bit(requester);
            if (entry.Owner == requester)
            {
                entry.Owner = -1;
            }
        }

        entry.RequesterLost = false;
        entry.Busy = false;
        entry.Current = default;
        entry.AwaitingAcks = 0;
        entry.AwaitingFetch = -1;
    }

    /// <summary>Starts waiting transactions until one has to wait for answers.</summary>
    private void Advance(HomeEntry entry)
    {
        while (!entry.Busy && entry.Waiting is { Count: > 0 } waiting)
        {
            Start(entry, waiting.Dequeue());
        }
    }
}
