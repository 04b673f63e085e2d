namespace Sinkron.Nodes.Locks;

/// <summary>A live session inside the table. Collections are sorted so that what the table does with them never
/// depends on insertion history, which a snapshot restore does not reproduce.</summary>
internal sealed class SessionState(ulong id, ulong clientId, long ttlMs, long deadlineMs)
{
    public ulong Id { get; } = id;
    public ulong ClientId { get; } = clientId;
    public long TtlMs { get; } = ttlMs;
    public long DeadlineMs { get; set; } = deadlineMs;

    /// <summary>Exactly-once window: the last sequence number applied and its result.</summary>
    public ulong LastSeq { get; set; }
    public LockResult LastResult { get; set; }

    public SortedSet<string> Held { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, Waiter> Waits { get; } = new(StringComparer.Ordinal);

    /// <summary>Records the final outcome of a queued request, so that a retry of it gets the outcome instead of "Queued".</summary>
    public void Complete(ulong seq, LockResult result)
    {
        if (seq == LastSeq)
        {
            LastResult = result;
        }
    }
}
