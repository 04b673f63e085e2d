namespace Sinkron.Nodes.Raft.Storage;

internal enum WalOpKind : byte
{
    Entry,
    Truncate,
    HardState,
    Snapshot,
}

/// <summary>
/// One queued write for the next <see cref="DurableLog.Sync"/>. <see cref="LastIndex"/>/<see cref="LastTerm"/> are where
/// the log ended right after this write was applied in memory: what Sync reports once it is on disk.
/// </summary>
internal readonly record struct WalOp(
    WalOpKind Kind,
    ulong Sequence,
    LogEntry Entry,
    ulong TruncateFrom,
    HardState HardState,
    SnapshotMetadata Snapshot,
    byte[]? SnapshotData,
    bool DiscardLog,
    ulong LastIndex,
    ulong LastTerm)
{
    public static WalOp ForEntry(ulong sequence, in LogEntry entry, LogIndex log) =>
        new(WalOpKind.Entry, sequence, entry, 0, default, default, null, false, log.LastIndex, log.LastTerm);

    public static WalOp ForTruncate(ulong sequence, ulong fromIndex, LogIndex log) =>
        new(WalOpKind.Truncate, sequence, default, fromIndex, default, default, null, false, log.LastIndex, log.LastTerm);

    public static WalOp ForHardState(ulong sequence, HardState state, LogIndex log) =>
        new(WalOpKind.HardState, sequence, default, 0, state, default, null, false, log.LastIndex, log.LastTerm);

    public static WalOp ForSnapshot(ulong sequence, SnapshotMetadata snapshot, byte[] data, bool discardLog, LogIndex log) =>
        new(WalOpKind.Snapshot, sequence, default, 0, default, snapshot, data, discardLog, log.LastIndex, log.LastTerm);
}
