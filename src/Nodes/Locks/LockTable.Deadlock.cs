namespace Sinkron.Nodes.Locks;

/// <summary>
/// Deadlock detection on the wait-for graph. A session waiting on lock L waits for every holder of L and for every
/// waiter ahead of it in L's queue whose mode conflicts with its own (a compatible waiter ahead only has to be
/// granted, not to finish). Edges appear only when a request is queued — grants and removals never create a path
/// that did not exist — so checking each new waiter keeps the graph acyclic, and any cycle runs through it.
/// </summary>
internal sealed partial class LockTable
{
    private readonly Dictionary<ulong, ulong> cycleParents = [];
    private readonly Queue<ulong> cycleFrontier = new();
    private ulong cycleClosedBy;

    /// <summary>
    /// The cycle that queueing <paramref name="requester"/> at <paramref name="position"/> in
    /// <paramref name="lockState"/>'s queue would close, as sessions in wait-for order starting with the requester;
    /// null if none. Breadth-first, so the shortest such cycle is named.
    /// </summary>
    private ulong[]? FindCycle(ulong requester, LockState lockState, LockMode mode, int position)
    {
        cycleParents.Clear();
        cycleFrontier.Clear();
        var found = Expand(requester, lockState, mode, position, requester);
        while (!found && cycleFrontier.Count > 0)
        {
            var from = cycleFrontier.Dequeue();
            foreach (var waiter in sessions[from].Waits.Values)
            {
                var queuePosition = waiter.Lock.Queue.IndexOf(waiter);
                if (Expand(from, waiter.Lock, waiter.Mode, queuePosition, requester))
                {
                    found = true;
                    break;
                }
            }
        }

        return found ? BuildCycle(requester) : null;
    }

    /// <summary>Follows the edges of <paramref name="from"/> waiting at <paramref name="position"/> of a lock's queue.</summary>
    private bool Expand(ulong from, LockState lockState, LockMode mode, int position, ulong requester)
    {
        foreach (var holder in lockState.Holders)
        {
            if (holder.Session != from && Reach(from, holder.Session, requester))
            {
                return true;
            }
        }

        for (var i = 0; i < position; i++)
        {
            var ahead = lockState.Queue[i];
            var conflicts = ahead.Mode == LockMode.Exclusive || mode == LockMode.Exclusive;
            if (conflicts && ahead.Session != from && Reach(from, ahead.Session, requester))
            {
                return true;
            }
        }

        return false;
    }

    private bool Reach(ulong from, ulong to, ulong requester)
    {
        if (to == requester)
        {
            cycleClosedBy = from;
            return true;
        }

        if (cycleParents.TryAdd(to, from))
        {
            cycleFrontier.Enqueue(to);
        }

        return false;
    }

    private ulong[] BuildCycle(ulong requester)
    {
        var length = 1;
        for (var at = cycleClosedBy; at != requester; at = cycleParents[at])
        {
            length++;
        }

        var cycle = new ulong[length];
        cycle[0] = requester;
        var slot = length - 1;
        for (var at = cycleClosedBy; at != requester; at = cycleParents[at])
        {
            cycle[slot--] = at;
        }

        return cycle;
    }
}
