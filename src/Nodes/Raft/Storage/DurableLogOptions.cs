using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Sinkron.Nodes.Raft.Storage;

internal sealed record DurableLogOptions(string DataDirectory)
{
    /// <summary>A segment is closed and a new one started once a record would take it past this size.</summary>
    public long SegmentBytes { get; init; } = 64L * 1024 * 1024;

    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>
    /// Never fsync the WAL: writes still happen and are counted, but nothing is durable until the kernel writes it
    /// back. For measuring what the disk costs; a crash loses acknowledged entries.
    /// </summary>
    public bool UnsafeNoFsync { get; init; }

    /// <summary>
    /// Diagnostics only: also write every batch to this file and fdatasync it in parallel with the log's own (see
    /// <see cref="WalMirror"/>), so one node waits for two durable copies per commit. Null for none.
    /// </summary>
    public string? MirrorPath { get; init; }
}

/// <summary>
/// Returned by <see cref="DurableLog.Sync"/> after each fsync: every write call that returned a sequence number up to
/// <see cref="Sequence"/> is durable, and the durable log ends at (<see cref="Index"/>, <see cref="Term"/>).
/// </summary>
internal readonly record struct DurablePosition(ulong Index, ulong Term, ulong Sequence);

/// <summary>Counters of the log's writes; <see cref="FsyncTotal"/> is time spent inside fsync calls.</summary>
internal readonly record struct DurableLogStats(long Fsyncs, long Batches, long Records, long Bytes, TimeSpan FsyncTotal, TimeSpan FsyncMax)
{
    public TimeSpan MeanFsync => Fsyncs == 0 ? TimeSpan.Zero : FsyncTotal / Fsyncs;
}

/// <summary>What opening the log found on disk.</summary>
internal sealed record RecoveryReport(
    HardState HardState,
    SnapshotMetadata Snapshot,
    IReadOnlyList<LogEntry> Entries,
    int SegmentsReplayed,
    string? TornTailFile,
    long TornTailOffset,
    long TornTailBytes,
    string? TornTailReason)
{
    public bool TruncatedTornTail => TornTailFile is not null;

    public override string ToString() => TruncatedTornTail
        ? $"replayed {SegmentsReplayed} segments, {Entries.Count} entries after snapshot {Snapshot.Index}; truncated a torn tail of {TornTailBytes} bytes at byte offset {TornTailOffset} of {TornTailFile} ({TornTailReason})"
        : $"replayed {SegmentsReplayed} segments, {Entries.Count} entries after snapshot {Snapshot.Index}; no torn tail";
}
