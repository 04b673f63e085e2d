namespace Sinkron.Nodes.Raft;

/// <summary>The answer to a <see cref="RaftNode.ReadIndex"/> request: reads at <see cref="Index"/> are linearizable once the state machine applied it.</summary>
internal readonly record struct ReadState(ulong RequestContext, ulong Index);

/// <summary>
/// One batch of work for the application, from <see cref="RaftNode.GetReady"/>. The node reuses
/// this object and the memory its slices point into: everything here is valid only until
/// <see cref="RaftNode.Advance"/>, so copy or serialize what must outlive it.
/// Handle it in this order:
/// <list type="number">
/// <item>Storage: if <see cref="Snapshot"/> is set, replace the whole log with it (discard every entry);
/// then if <see cref="TruncateFrom"/> is non-zero, delete stored entries with index &gt;= it;
/// then append <see cref="Entries"/>; then record <see cref="HardState"/> if <see cref="HasHardState"/>.</item>
/// <item>If <see cref="MustSyncBeforeSend"/>, make all of that durable before sending anything.</item>
/// <item>Send <see cref="Messages"/> (a leader sends its appends while its own write is still in flight).</item>
/// <item>Restore the state machine from <see cref="Snapshot"/> if set, then apply <see cref="CommittedEntries"/>
/// and serve <see cref="ReadStates"/> once applied up to their index.</item>
/// <item>Call <see cref="RaftNode.Advance"/>; later, when the written entries are durable,
/// call <see cref="RaftNode.Persisted"/> with the last durable entry (or the snapshot).</item>
/// </list>
/// </summary>
internal sealed class Ready
{
    /// <summary>True when <see cref="HardState"/> differs from the one in the previous batch.</summary>
    public bool HasHardState { get; internal set; }

    public HardState HardState { get; internal set; }

    /// <summary>The term or vote changed: it must be durable before any message of this batch leaves.</summary>
    public bool MustSyncBeforeSend { get; internal set; }

    /// <summary>Non-zero when previously handed-out entries from this index on were overwritten by a leader.</summary>
    public ulong TruncateFrom { get; internal set; }

    /// <summary>New entries to store, in index order, contiguous with what is stored below them.</summary>
    public ReadOnlyMemory<LogEntry> Entries { get; internal set; }

    /// <summary>A snapshot received from the leader, to store and restore; it replaces the whole log.</summary>
    public SnapshotMetadata? Snapshot { get; internal set; }

    public ReadOnlyMemory<byte> SnapshotData { get; internal set; }

    /// <summary>Entries committed and durable here, to apply in order.</summary>
    public ReadOnlyMemory<LogEntry> CommittedEntries { get; internal set; }

    public IReadOnlyList<RaftMessage> Messages { get; internal set; } = [];

    public IReadOnlyList<ReadState> ReadStates { get; internal set; } = [];
}
