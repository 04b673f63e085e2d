using Microsoft.Extensions.Logging;

namespace Sinkron.Nodes.Raft.Storage;

/// <summary>
/// The durable Raft log: segmented append-only WAL files plus snapshot files under one data directory.
/// </summary>
/// <remarks>
/// Write calls (<see cref="Append"/>, <see cref="TruncateSuffix"/>, <see cref="SaveHardState"/>, <see cref="Persist"/>,
/// <see cref="SaveSnapshot"/>) update the in-memory log at once, so the leader can replicate entries before its own
/// fsync, and queue the records. <see cref="Sync"/> writes everything queued since the last one and fsyncs once
/// (group commit), on the caller's thread: the Raft loop calls it after sending its appends, which costs no
/// thread hand-off, where a writer thread cost two per fsync (wake it, be woken by it). Each write call returns a
/// sequence number that <see cref="DurablePosition"/> can be compared with. Hard state travels as WAL records in the
/// same batch as entries, so one fsync makes both durable, in order; each new segment starts with the current hard
/// state, so deleting old segments never loses it. Reads may come from any thread, writes from one at a time, and
/// syncs from any, one at a time, while writes go on.
/// Once a write or fsync fails the log is faulted and every later call throws: the node must stop.
/// </remarks>
internal sealed partial class DurableLog : IDisposable
{
    private readonly object gate = new();
    private readonly LogIndex log;
    private readonly SnapshotStore snapshots;
    private readonly ILogger logger;
    private HardState hardState;
    private ulong submitted;
    private Exception? fault;

    private DurableLog(DurableLogOptions options, Recovered recovered, SnapshotStore snapshots)
    {
        this.snapshots = snapshots;
        logger = options.Logger;
        log = recovered.Log;
        hardState = recovered.Report.HardState;
        Recovery = recovered.Report;
        segmentBytes = options.SegmentBytes;
        unsafeNoFsync = options.UnsafeNoFsync;
        mirror = options.MirrorPath is { } mirrorPath ? WalMirror.Open(mirrorPath) : null;
        walDirectory = recovered.WalDirectory;
        segments = recovered.Segments;
        writtenHardState = hardState;
        durablePosition = new DurablePosition(log.LastIndex, log.LastTerm, 0);
        OpenActiveSegment(recovered.ActiveSize);
    }

    public RecoveryReport Recovery { get; }

    /// <summary>
    /// Opens (creating if needed) the log in <see cref="DurableLogOptions.DataDirectory"/>, replaying it; see
    /// <see cref="Recovery"/>.
    /// </summary>
    public static DurableLog Open(DurableLogOptions options)
    {
        var snapshots = new SnapshotStore(Path.Combine(options.DataDirectory, "snapshots"));
        var recovered = Recover(Path.Combine(options.DataDirectory, "wal"), snapshots, options.Logger);
        return new DurableLog(options, recovered, snapshots);
    }

    public HardState HardState
    {
        get { lock (gate) { return hardState; } }
    }

    public SnapshotMetadata Snapshot
    {
        get { lock (gate) { return log.Snapshot; } }
    }

    public ulong FirstIndex
    {
        get { lock (gate) { return log.FirstIndex; } }
    }

    public ulong LastIndex
    {
        get { lock (gate) { return log.LastIndex; } }
    }

    public ulong LastTerm
    {
        get { lock (gate) { return log.LastTerm; } }
    }

    public bool TryGetTerm(ulong index, out ulong term)
    {
        lock (gate)
        {
            return log.TryGetTerm(index, out term);
        }
    }

    /// <summary>
    /// Adds entries [from, toExclusive) to <paramref name="into"/>, up to <paramref name="maxBytes"/> of payload
    /// (always at least one); returns how many. Throws when the range is not in the log (compacted or beyond).
    /// </summary>
    public int GetEntries(ulong from, ulong toExclusive, List<LogEntry> into, long maxBytes = long.MaxValue)
    {
        lock (gate)
        {
            return log.CopyRange(from, toExclusive, into, maxBytes);
        }
    }

    /// <summary>
    /// Appends entries. Entries the log already has (same index and term) are skipped; if the first new one
    /// overlaps the log, the conflicting suffix is truncated first, durably. Entries covered by the snapshot are ignored.
    /// </summary>
    public ulong Append(ReadOnlySpan<LogEntry> entries) => Persist(null, entries);

    /// <summary>Saves the hard state and appends the entries in one batch: one fsync for a Raft Ready.</summary>
    public ulong Persist(HardState? state, ReadOnlySpan<LogEntry> entries)
    {
        lock (gate)
        {
            ThrowIfFaulted();
            var sequence = submitted + 1;
            if (state is { } newState)
            {
                // Raft needs term and vote durable; the commit index is a hint (a node re-learns it), so a
                // change of commit alone rides along with the next write that needs an fsync.
                var mustSync = newState.Term != hardState.Term || newState.VotedFor != hardState.VotedFor;
                hardState = newState;
                Enqueue(WalOp.ForHardState(sequence, newState, log), mustSync);
            }

            AppendLocked(sequence, entries);
            return submitted;
        }
    }

    public ulong SaveHardState(HardState state) => Persist(state, []);

    /// <summary>Drops every entry from <paramref name="fromIndex"/> on, durably.</summary>
    public ulong TruncateSuffix(ulong fromIndex)
    {
        lock (gate)
        {
            ThrowIfFaulted();
            var sequence = submitted + 1;
            if (fromIndex <= log.Snapshot.Index)
            {
                throw new ArgumentOutOfRangeException(nameof(fromIndex), fromIndex, $"entries up to {log.Snapshot.Index} are in the snapshot and committed");
            }

            if (fromIndex <= log.LastIndex)
            {
                log.TruncateFrom(fromIndex);
                Enqueue(WalOp.ForTruncate(sequence, fromIndex, log));
            }

            return submitted;
        }
    }

    /// <summary>
    /// Saves a snapshot covering the log up to <paramref name="metadata"/>. Entries it covers leave memory now;
    /// if the log does not hold the snapshot's last entry, the rest of the log conflicts and is discarded. Once the
    /// snapshot is durable, segments it wholly covers are deleted.
    /// </summary>
    public ulong SaveSnapshot(SnapshotMetadata metadata, ReadOnlySpan<byte> data)
    {
        lock (gate)
        {
            ThrowIfFaulted();
            if (metadata.Index <= log.Snapshot.Index)
            {
                throw new ArgumentException($"snapshot at {metadata.Index} is not newer than the current one at {log.Snapshot.Index}", nameof(metadata));
            }

            var sequence = submitted + 1;
            var discarded = log.ResetTo(metadata);
            Enqueue(WalOp.ForSnapshot(sequence, metadata, data.ToArray(), discarded, log));
            return sequence;
        }
    }

    /// <summary>The newest durable snapshot, verified against its checksum; null when there is none.</summary>
    public (SnapshotMetadata Metadata, byte[] Data)? LoadLatestSnapshot()
    {
        lock (snapshotFiles)
        {
            return snapshots.LoadLatest();
        }
    }

    /// <summary>Makes everything written so far durable, commit-index changes included.</summary>
    public void Flush() => SyncQueued(force: true);

    private void AppendLocked(ulong sequence, ReadOnlySpan<LogEntry> entries)
    {
        var start = 0;
        while (start < entries.Length && (entries[start].Index <= log.Snapshot.Index
            || (log.TryGetTerm(entries[start].Index, out var term) && term == entries[start].Term)))
        {
            start++;
        }

        if (start == entries.Length)
        {
            return;
        }

        var first = entries[start].Index;
        if (first <= log.LastIndex)
        {
            log.TruncateFrom(first);
            Enqueue(WalOp.ForTruncate(sequence, first, log));
        }

        for (var i = start; i < entries.Length; i++)
        {
            log.Append(entries[i]);
            Enqueue(WalOp.ForEntry(sequence, entries[i], log));
        }
    }

    private void ThrowIfFaulted()
    {
        if (fault is not null)
        {
            throw new IOException($"the durable log failed and accepts no more writes: {fault.Message}", fault);
        }
    }
}
