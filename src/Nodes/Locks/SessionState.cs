namespace Sinkron.Nodes.Locks;

/// <summary>A live session inside the table. Collections are sorted so that what the table does with them never
/// depends on insertion history, which a snapshot restore does not reproduce.</summary>
internal sealed class SessionState(ulong id, ulong clientId, long ttlMs, long deadlineMs)
{
    /// <summary>
    /// Most results a session keeps. A client with more requests unanswered than this breaks its side of the
    /// protocol: the lowest results are evicted and the watermark moves past them (see <see cref="Cache"/>), so a
    /// retry of one learns nothing but Stale, and a lower seq that has not reached the log yet is refused as Stale
    /// without being applied.
    /// </summary>
    public const int MaxCachedResults = 4096;

    public ulong Id { get; } = id;
    public ulong ClientId { get; } = clientId;
    public long TtlMs { get; } = ttlMs;
    public long DeadlineMs { get; set; } = deadlineMs;

    /// <summary>
    /// Exactly-once watermark: every seq below it is Stale. It is the highest <see cref="LockCommand.AckedBelow"/>
    /// seen, or one past the highest seq evicted from a full window, whichever is greater. Never decreases.
    /// </summary>
    public ulong StaleBelow { get; private set; }

    /// <summary>Results of the seqs applied at or above <see cref="StaleBelow"/>, by seq.</summary>
    public ResultWindow Results { get; } = new();

    /// <summary>Names of the locks this session holds. Unordered: nothing that depends on order walks it.</summary>
    public HashSet<string> Held { get; } = new(StringComparer.Ordinal);
    public SortedDictionary<string, Waiter> Waits { get; } = new(StringComparer.Ordinal);

    /// <summary>The client has every answer below <paramref name="ackedBelow"/>: forget them and refuse those seqs from now on.</summary>
    public void Acknowledge(ulong ackedBelow)
    {
        if (ackedBelow > StaleBelow)
        {
            StaleBelow = ackedBelow;
            Results.RemoveBelow(ackedBelow);
        }
    }

    /// <summary>
    /// Caches the result of a newly applied seq. When that overfills the window the lowest entry is evicted and
    /// the watermark moves past it; if the new seq is itself the lowest it is the one evicted: its first answer
    /// stands, a retry of it is Stale.
    /// </summary>
    public void Cache(ulong seq, in LockResult result)
    {
        Results.Add(seq, result);
        if (Results.Count > MaxCachedResults)
        {
            StaleBelow = Results.LowestSeq + 1;
            Results.RemoveLowest();
        }
    }

    /// <summary>Records the final outcome of a queued request, so that a retry of it gets the outcome instead of "Queued".</summary>
    public void Complete(ulong seq, in LockResult result) => Results.TryUpdate(seq, result);

    /// <summary>Snapshot restore: sets the watermark, before any <see cref="TryRestoreResult"/>.</summary>
    public void RestoreWatermark(ulong staleBelow) => StaleBelow = staleBelow;

    /// <summary>Snapshot restore: appends a cached result; false unless seqs strictly increase from the watermark and fit the window.</summary>
    public bool TryRestoreResult(ulong seq, in LockResult result)
    {
        if (seq < StaleBelow || (Results.Count > 0 && seq <= Results[Results.Count - 1].Seq) || Results.Count == MaxCachedResults)
        {
            return false;
        }

        Results.Add(seq, result);
        return true;
    }
}
