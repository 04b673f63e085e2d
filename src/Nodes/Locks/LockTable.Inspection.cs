namespace Sinkron.Nodes.Locks;

internal sealed partial class LockTable
{
    /// <summary>Every lock whose name starts with <paramref name="prefix"/> (all when null), sorted by name.</summary>
    public IReadOnlyList<LockInfo> ListLocks(string? prefix = null)
    {
        var result = new List<LockInfo>();
        foreach (var lockState in locks.Values)
        {
            if (prefix is null || lockState.Name.StartsWith(prefix, StringComparison.Ordinal))
            {
                result.Add(Describe(lockState));
            }
        }

        result.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return result;
    }

    public bool TryGetLock(string name, out LockInfo info)
    {
        if (locks.TryGetValue(name, out var lockState))
        {
            info = Describe(lockState);
            return true;
        }

        info = new LockInfo(name, [], []);
        return false;
    }

    /// <summary>The lease deadline of a live session (leader clock, ms), or false if none has that id.</summary>
    public bool TryGetSessionDeadline(ulong session, out long deadlineMs)
    {
        var found = sessions.TryGetValue(session, out var state);
        deadlineMs = found ? state!.DeadlineMs : 0;
        return found;
    }

    /// <summary>How many results a live session keeps for retries, and the seq below which retries are Stale.</summary>
    public bool TryGetResultWindow(ulong session, out int cachedResults, out ulong staleBelow)
    {
        var found = sessions.TryGetValue(session, out var state);
        cachedResults = found ? state!.Results.Count : 0;
        staleBelow = found ? state!.StaleBelow : 0;
        return found;
    }

    private static LockInfo Describe(LockState lockState)
    {
        var holders = new HolderInfo[lockState.Holders.Count];
        for (var i = 0; i < holders.Length; i++)
        {
            var holder = lockState.Holders[i];
            holders[i] = new HolderInfo(holder.Session, holder.Mode, holder.Token);
        }

        var waiters = new WaiterInfo[lockState.Queue.Count];
        for (var i = 0; i < waiters.Length; i++)
        {
            var waiter = lockState.Queue[i];
            waiters[i] = new WaiterInfo(waiter.Session, waiter.Seq, waiter.Mode, waiter.DeadlineMs);
        }

        return new LockInfo(lockState.Name, holders, waiters);
    }
}
