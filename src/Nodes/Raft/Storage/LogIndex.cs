namespace Sinkron.Nodes.Raft.Storage;

/// <summary>
/// The entries after the latest snapshot, in memory with their payloads: the lock-service log between snapshots is
/// small, and the leader reads recent entries constantly, so reads never touch the disk.
/// Not thread-safe; <see cref="DurableLog"/> guards it.
/// </summary>
internal sealed class LogIndex
{
    private readonly List<LogEntry> entries = [];

    public SnapshotMetadata Snapshot { get; private set; }
    public ulong FirstIndex => Snapshot.Index + 1;
    public ulong LastIndex => entries.Count == 0 ? Snapshot.Index : entries[^1].Index;
    public ulong LastTerm => entries.Count == 0 ? Snapshot.Term : entries[^1].Term;
    public int Count => entries.Count;

    /// <summary>The term of the entry at <paramref name="index"/>, including the snapshot's last one.</summary>
    public bool TryGetTerm(ulong index, out ulong term)
    {
        if (index == Snapshot.Index)
        {
            term = Snapshot.Term;
            return true;
        }

        if (index > Snapshot.Index && index <= LastIndex)
        {
            term = entries[Position(index)].Term;
            return true;
        }

        term = 0;
        return false;
    }

    public LogEntry this[ulong index] => entries[Position(index)];

    public void Append(in LogEntry entry)
    {
        if (entry.Index != LastIndex + 1)
        {
            throw new ArgumentException($"entry {entry.Index} does not follow the last index {LastIndex}", nameof(entry));
        }

        entries.Add(entry);
    }

    /// <summary>Drops every entry from <paramref name="index"/> on.</summary>
    public void TruncateFrom(ulong index)
    {
        if (index <= Snapshot.Index)
        {
            entries.Clear();
        }
        else if (index <= LastIndex)
        {
            entries.RemoveRange(Position(index), entries.Count - Position(index));
        }
    }

    /// <summary>
    /// Moves the start of the log to <paramref name="snapshot"/>. Entries it covers are dropped; if the log does not
    /// contain the snapshot's last entry (same index and term), everything after it conflicts and is dropped too.
    /// Returns whether the rest of the log was discarded.
    /// </summary>
    public bool ResetTo(SnapshotMetadata snapshot)
    {
        var keepsTail = TryGetTerm(snapshot.Index, out var term) && term == snapshot.Term;
        if (keepsTail)
        {
            entries.RemoveRange(0, (int)(snapshot.Index - Snapshot.Index));
        }
        else
        {
            entries.Clear();
        }

        Snapshot = snapshot;
        return !keepsTail;
    }

    /// <summary>Copies entries [from, toExclusive) into <paramref name="into"/>, stopping once
    /// <paramref name="maxBytes"/> of payload is reached (at least one entry is always copied).</summary>
    public int CopyRange(ulong from, ulong toExclusive, List<LogEntry> into, long maxBytes)
    {
        if (from < FirstIndex || toExclusive > LastIndex + 1 || from > toExclusive)
        {
            throw new ArgumentOutOfRangeException(nameof(from), $"range [{from}, {toExclusive}) is outside the log [{FirstIndex}, {LastIndex + 1})");
        }

        var copied = 0;
        long bytes = 0;
        for (var index = from; index < toExclusive; index++)
        {
            var entry = entries[Position(index)];
            bytes += entry.Data.Length;
            if (copied > 0 && bytes > maxBytes)
            {
                break;
            }

            into.Add(entry);
            copied++;
        }

        return copied;
    }

    private int Position(ulong index) => (int)(index - FirstIndex);
}
