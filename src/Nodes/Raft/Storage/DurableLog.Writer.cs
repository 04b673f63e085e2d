using System.Buffers;
using System.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace Sinkron.Nodes.Raft.Storage;

internal sealed partial class DurableLog
{
    /// <summary>Bytes of a hard-state record: a segment holding only that has nothing worth rolling away from.</summary>
    private const int HardStateRecordSize = WalRecord.HeaderSize + 25;

    /// <summary>A batch bigger than this is written out in pieces, so one huge batch does not grow the buffer without bound.</summary>
    private const int WriteChunkBytes = 1024 * 1024;

    /// <summary>
    /// Zeros are written this far ahead of the records. An fsync after an append that grew the file also writes the
    /// inode; one that only overwrote allocated blocks writes the data alone, which measured here at half the time
    /// and two thirds of the CPU (fallocate does not do it: its unwritten extents change on first write). The
    /// growth is paid once per this many bytes, as one longer fsync.
    /// </summary>
    private const int ZeroAheadBytes = 1024 * 1024;

    private static readonly byte[] Zeros = new byte[64 * 1024];

    private readonly long segmentBytes;
    private readonly bool unsafeNoFsync;
    private readonly WalMirror? mirror;
    private readonly string walDirectory;
    private readonly List<Segment> segments;
    private readonly object snapshotFiles = new();
    private readonly ArrayBufferWriter<byte> pending = new(64 * 1024);
    /// <summary>One sync at a time: a leader syncs off its loop, which may meanwhile step down and sync there.</summary>
    private readonly Lock syncGate = new();
    private List<WalOp> queued = [];
    private List<WalOp> writing = [];

    /// <summary>Something queued needs an fsync: more than a change of the commit index.</summary>
    private bool queuedMustSync;
    private SafeFileHandle active = null!;
    private long activeSize;

    /// <summary>The active segment's file length: the bytes past <see cref="activeSize"/> are zeros written ahead.</summary>
    private long zeroedTo;
    private HardState writtenHardState;
    private DurablePosition durablePosition;
    private bool disposed;
    private long fsyncs;
    private long batches;
    private long records;
    private long bytesWritten;
    private long fsyncTicks;
    private long fsyncMaxTicks;

    public DurableLogStats Stats => new(
        Interlocked.Read(ref fsyncs),
        Interlocked.Read(ref batches),
        Interlocked.Read(ref records),
        Interlocked.Read(ref bytesWritten),
        Stopwatch.GetElapsedTime(0, Interlocked.Read(ref fsyncTicks)),
        Stopwatch.GetElapsedTime(0, Interlocked.Read(ref fsyncMaxTicks)));

    /// <summary>Whether <see cref="Sync"/> would write something.</summary>
    public bool NeedsSync
    {
        get { lock (gate) { return queued.Count > 0 && queuedMustSync; } }
    }

    /// <summary>Where the log is durable up to, as of the last <see cref="Sync"/>.</summary>
    public DurablePosition DurablePosition
    {
        get { lock (gate) { return durablePosition; } }
    }

    /// <summary>Writes out what is queued, cuts the zeros written ahead and closes the files.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        if (fault is null)
        {
            SyncQueued(force: true);
            TrimZeros();
            Fsync(active);
        }

        active.Dispose();
        mirror?.Dispose();
    }

    private void Enqueue(in WalOp op, bool mustSync = true)
    {
        queued.Add(op);
        submitted = op.Sequence;
        queuedMustSync |= mustSync;
    }

    /// <summary>
    /// Writes everything queued since the last call, fsyncs once (group commit) and returns where the log is now
    /// durable up to; null when nothing was queued, or only changes of the commit index (they wait for the next).
    /// Runs on the caller's thread. Once a write or fsync fails the log is faulted: this and every later write
    /// call throw.
    /// </summary>
    public DurablePosition? Sync() => SyncQueued(force: false);

    /// <summary>Like <see cref="Sync"/>; <paramref name="force"/> also writes a queue holding only commit-index changes.</summary>
    private DurablePosition? SyncQueued(bool force)
    {
        lock (syncGate)
        {
            return SyncQueuedLocked(force);
        }
    }

    private DurablePosition? SyncQueuedLocked(bool force)
    {
        lock (gate)
        {
            ThrowIfFaulted();
            if (queued.Count == 0 || !(queuedMustSync || force))
            {
                return null;
            }

            (queued, writing) = (writing, queued);
            queuedMustSync = false;
        }

        DurablePosition reached;
        try
        {
            reached = WriteBatch(writing);
        }
        catch (Exception e)
        {
            LogWriterFailed(logger, e);
            lock (gate)
            {
                fault = e;
            }

            throw new IOException($"the durable log failed and accepts no more writes: {e.Message}", e);
        }
        finally
        {
            writing.Clear();
        }

        lock (gate)
        {
            durablePosition = reached;
        }

        return reached;
    }

    /// <summary>Encodes the batch, writes it, one fsync; then deletes segments a snapshot in it made redundant.</summary>
    private DurablePosition WriteBatch(List<WalOp> ops)
    {
        ulong compactTo = 0;
        foreach (var op in ops)
        {
            switch (op.Kind)
            {
                case WalOpKind.Entry:
                    RollIfFull(WalRecord.EntrySize(op.Entry));
                    WalRecord.WriteEntry(pending, op.Entry);
                    Touch(op.Entry.Index);
                    break;
                case WalOpKind.Truncate:
                    WalRecord.WriteTruncate(pending, op.TruncateFrom);
                    Touch(op.TruncateFrom);
                    break;
                case WalOpKind.HardState when op.HardState != writtenHardState:
                    WalRecord.WriteHardState(pending, op.HardState);
                    writtenHardState = op.HardState;
                    break;
                case WalOpKind.Snapshot:
                    lock (snapshotFiles)
                    {
                        snapshots.Save(op.Snapshot, op.SnapshotData);
                    }

                    if (op.DiscardLog)
                    {
                        // The log did not contain the snapshot's last entry: what follows it conflicts. Dropping from
                        // the snapshot index (not after it) also tells replay to forget the conflicting entry there.
                        WalRecord.WriteTruncate(pending, op.Snapshot.Index);
                        Touch(op.Snapshot.Index);
                    }

                    compactTo = op.Snapshot.Index;
                    break;
                default:
                    continue;
            }

            Interlocked.Increment(ref records);
            if (pending.WrittenCount >= WriteChunkBytes)
            {
                WritePending();
            }
        }

        WritePending();
        if (!unsafeNoFsync)
        {
            mirror?.BeginFlush();
            Fsync(active);
            mirror?.EndFlush();
        }

        Interlocked.Increment(ref batches);
        if (compactTo > 0)
        {
            DeleteSegmentsCoveredBy(compactTo);
        }

        var last = ops[^1];
        return new DurablePosition(last.LastIndex, last.LastTerm, last.Sequence);
    }

    private void RollIfFull(int recordSize)
    {
        var used = activeSize + pending.WrittenCount;
        if (used + recordSize <= segmentBytes || used <= HardStateRecordSize)
        {
            return;
        }

        // The old segment must be complete on disk before the new one has anything: replay trusts every segment
        // but the last to be whole.
        WritePending();
        TrimZeros();
        Fsync(active);
        active.Dispose();
        var segment = Segment.Create(walDirectory, segments[^1].Sequence + 1);
        active = File.OpenHandle(segment.Path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
        segments.Add(segment);
        activeSize = 0;
        zeroedTo = 0;
        DirectorySync.Flush(walDirectory);
        WalRecord.WriteHardState(pending, writtenHardState);
    }

    private void Touch(ulong index)
    {
        var segment = segments[^1];
        segment.MaxIndex = Math.Max(segment.MaxIndex, index);
    }

    private void WritePending()
    {
        if (pending.WrittenCount == 0)
        {
            return;
        }

        RandomAccess.Write(active, pending.WrittenSpan, activeSize);
        mirror?.Write(pending.WrittenSpan);
        activeSize += pending.WrittenCount;
        segments[^1].Size = activeSize;
        Interlocked.Add(ref bytesWritten, pending.WrittenCount);
        pending.ResetWrittenCount();
        if (zeroedTo - activeSize < Zeros.Length)
        {
            ZeroAhead();
        }
    }

    private void ZeroAhead()
    {
        var from = Math.Max(zeroedTo, activeSize);
        var to = Math.Min(activeSize + ZeroAheadBytes, segmentBytes);
        for (var offset = from; offset < to; offset += Zeros.Length)
        {
            RandomAccess.Write(active, Zeros.AsSpan(0, (int)Math.Min(Zeros.Length, to - offset)), offset);
        }

        zeroedTo = Math.Max(zeroedTo, to);
    }

    /// <summary>Cuts the zeros written ahead, so a closed segment ends with its last record.</summary>
    private void TrimZeros()
    {
        if (zeroedTo > activeSize)
        {
            RandomAccess.SetLength(active, activeSize);
            zeroedTo = activeSize;
        }
    }

    private void Fsync(SafeFileHandle file)
    {
        var start = Stopwatch.GetTimestamp();
        DataSync.Flush(file);
        var ticks = Stopwatch.GetTimestamp() - start;
        Interlocked.Increment(ref fsyncs);
        Interlocked.Add(ref fsyncTicks, ticks);
        if (ticks > Interlocked.Read(ref fsyncMaxTicks))
        {
            Interlocked.Exchange(ref fsyncMaxTicks, ticks);
        }
    }

    /// <summary>Deletes the oldest segments while every record in them is covered; never the one being written.</summary>
    private void DeleteSegmentsCoveredBy(ulong snapshotIndex)
    {
        while (segments.Count > 1 && segments[0].MaxIndex <= snapshotIndex)
        {
            File.Delete(segments[0].Path);
            segments.RemoveAt(0);
        }
    }

    private void OpenActiveSegment(long recoveredSize)
    {
        if (segments.Count > 0)
        {
            active = File.OpenHandle(segments[^1].Path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
            activeSize = recoveredSize;
            zeroedTo = RandomAccess.GetLength(active);
            return;
        }

        var segment = Segment.Create(walDirectory, 1);
        active = File.OpenHandle(segment.Path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read);
        segments.Add(segment);
        activeSize = 0;
        WalRecord.WriteHardState(pending, writtenHardState);
        WritePending();
        Fsync(active);
        DirectorySync.Flush(walDirectory);
    }
}
