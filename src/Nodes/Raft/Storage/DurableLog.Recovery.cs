using System.Buffers;
using Microsoft.Extensions.Logging;

namespace Sinkron.Nodes.Raft.Storage;

internal sealed partial class DurableLog
{
    private sealed record Recovered(LogIndex Log, RecoveryReport Report, string WalDirectory, List<Segment> Segments, long ActiveSize);

    /// <summary>
    /// Replays the snapshot and the segments in order. The last segment may end in zeros written ahead of its
    /// records; they are kept for the next writes. A bad record at the very end of the last segment (nothing but
    /// zeros after it) is a write torn by a crash: it was never fsynced, so never acknowledged; it is cut off and
    /// reported. A bad record anywhere else is corruption of acknowledged data: stop, naming file and offset.
    /// </summary>
    private static Recovered Recover(string walDirectory, SnapshotStore snapshots, ILogger logger)
    {
        Directory.CreateDirectory(walDirectory);
        var snapshot = snapshots.LoadLatest()?.Metadata ?? default;
        var log = new LogIndex();
        log.ResetTo(snapshot);
        var hardState = default(HardState);
        ulong? termAtSnapshot = null;
        var segments = Segment.List(walDirectory);
        (string File, long Offset, long Bytes, string Reason)? torn = null;

        for (var s = 0; s < segments.Count; s++)
        {
            var segment = segments[s];
            var bytes = File.ReadAllBytes(segment.Path);
            var offset = 0;
            while (offset < bytes.Length)
            {
                var problem = WalRecord.TryRead(bytes, offset, out var record, out var next);
                if (problem is not null && s == segments.Count - 1 && IsAllZero(bytes.AsSpan(offset)))
                {
                    // Zeros written ahead of the records by a node that did not close the log: a clean end.
                    break;
                }

                if (problem is not null)
                {
                    if (s != segments.Count - 1 || !IsTornTail(bytes, offset))
                    {
                        throw Corrupt(segment.Path, offset, $"{problem}, and {(s != segments.Count - 1 ? "later segments follow" : "non-zero bytes follow")}");
                    }

                    torn = (segment.Path, offset, bytes.Length - offset, problem);
                    break;
                }

                switch (record.Type)
                {
                    case WalRecordType.Entry:
                        var entry = record.Entry;
                        segment.MaxIndex = Math.Max(segment.MaxIndex, entry.Index);
                        if (entry.Index <= snapshot.Index)
                        {
                            termAtSnapshot = entry.Index == snapshot.Index ? entry.Term : termAtSnapshot;
                        }
                        else if (entry.Index != log.LastIndex + 1)
                        {
                            throw Corrupt(segment.Path, offset, $"entry {entry.Index} does not follow entry {log.LastIndex}");
                        }
                        else
                        {
                            log.Append(entry);
                        }

                        break;
                    case WalRecordType.Truncate:
                        segment.MaxIndex = Math.Max(segment.MaxIndex, record.TruncateFrom);
                        termAtSnapshot = record.TruncateFrom <= snapshot.Index ? null : termAtSnapshot;
                        log.TruncateFrom(record.TruncateFrom);
                        break;
                    case WalRecordType.HardState:
                        hardState = record.HardState;
                        break;
                }

                offset = next;
            }

            segment.Size = offset;
        }

        if (torn is { } cut)
        {
            CutTornTail(cut.File, cut.Offset);
            LogTornTail(logger, cut.File, cut.Offset, cut.Bytes, cut.Reason);
        }

        // A crash between saving a snapshot and logging that the log conflicting with it is dropped: drop it now.
        if (termAtSnapshot is { } term && term != snapshot.Term)
        {
            log.TruncateFrom(snapshot.Index + 1);
            MarkConflictDropped(segments[^1], snapshot.Index);
        }

        var entries = new List<LogEntry>(log.Count);
        if (log.Count > 0)
        {
            log.CopyRange(log.FirstIndex, log.LastIndex + 1, entries, long.MaxValue);
        }

        var report = new RecoveryReport(hardState, snapshot, entries, segments.Count, torn?.File, torn?.Offset ?? 0, torn?.Bytes ?? 0, torn?.Reason);
        LogRecovered(logger, walDirectory, report.ToString());
        return new Recovered(log, report, walDirectory, segments, segments.Count > 0 ? segments[^1].Size : 0);
    }

    /// <summary>Whether the bad record at <paramref name="offset"/> is the torn end of the file rather than damage.</summary>
    private static bool IsTornTail(ReadOnlySpan<byte> file, int offset)
    {
        var remaining = file.Length - offset;
        if (remaining < WalRecord.HeaderSize)
        {
            return true;
        }

        var length = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(file[offset..]);
        if (length == 0 || length > WalRecord.MaxPayload)
        {
            return IsAllZero(file[(offset + WalRecord.HeaderSize)..]);
        }

        if (length > remaining - WalRecord.HeaderSize)
        {
            return true;
        }

        return IsAllZero(file[(offset + WalRecord.HeaderSize + (int)length)..]);
    }

    private static bool IsAllZero(ReadOnlySpan<byte> bytes) => !bytes.ContainsAnyExcept((byte)0);

    private static void CutTornTail(string path, long offset)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite);
        RandomAccess.SetLength(file, offset);
        RandomAccess.FlushToDisk(file);
    }

    private static void MarkConflictDropped(Segment segment, ulong snapshotIndex)
    {
        var record = new ArrayBufferWriter<byte>(32);
        WalRecord.WriteTruncate(record, snapshotIndex);
        using var file = File.OpenHandle(segment.Path, FileMode.Open, FileAccess.ReadWrite);
        RandomAccess.Write(file, record.WrittenSpan, segment.Size);
        RandomAccess.FlushToDisk(file);
        segment.Size += record.WrittenCount;
    }

    private static InvalidDataException Corrupt(string path, long offset, string problem) => new(
        $"WAL segment {path} is corrupt at byte offset {offset}: {problem}. Refusing to open rather than drop the " +
        "entries after it; restore this node's data from a peer (or remove it and let it catch up by snapshot).");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Truncated a torn WAL tail: {Bytes} bytes at byte offset {Offset} of {File} ({Reason})")]
    private static partial void LogTornTail(ILogger logger, string file, long offset, long bytes, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Opened WAL in {Directory}: {Summary}")]
    private static partial void LogRecovered(ILogger logger, string directory, string summary);

    [LoggerMessage(Level = LogLevel.Critical, Message = "A WAL write or fsync failed; the log accepts no more writes")]
    private static partial void LogWriterFailed(ILogger logger, Exception exception);
}
