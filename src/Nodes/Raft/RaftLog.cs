namespace Sinkron.Nodes.Raft;

/// <summary>
/// The core's in-memory log: the snapshot boundary and the entries after it. Entries live in one
/// array so Ready and Append messages hand out slices without copying; a slice stays valid until
/// the log is next changed, which the Ready contract rules out before Advance.
/// </summary>
internal sealed class RaftLog
{
    private LogEntry[] _entries;
    private int _count;

    public RaftLog(SnapshotMetadata snapshot, ReadOnlySpan<LogEntry> entries)
    {
        for (var i = 0; i < entries.Length; i++)
        {
            if (entries[i].Index != snapshot.Index + 1 + (ulong)i)
            {
                throw new ArgumentException($"Raft boot entries must be contiguous from {snapshot.Index + 1}; entry {i} has index {entries[i].Index}.", nameof(entries));
            }
        }

        Snapshot = snapshot;
        _entries = new LogEntry[Math.Max(64, entries.Length * 2)];
        entries.CopyTo(_entries);
        _count = entries.Length;
    }

    public SnapshotMetadata Snapshot { get; private set; }

    public ulong FirstIndex => Snapshot.Index + 1;

    public ulong LastIndex => Snapshot.Index + (ulong)_count;

    public ulong LastTerm => _count == 0 ? Snapshot.Term : _entries[_count - 1].Term;

    /// <summary>The term at <paramref name="index"/>; false when it is compacted away or beyond the end.</summary>
    public bool TryGetTerm(ulong index, out ulong term)
    {
        if (index == Snapshot.Index)
        {
            term = Snapshot.Term;
            return true;
        }

        if (index < Snapshot.Index || index > LastIndex)
        {
            term = 0;
            return false;
        }

        term = _entries[(int)(index - FirstIndex)].Term;
        return true;
    }

    public ulong TermOrZero(ulong index) => TryGetTerm(index, out var term) ? term : 0;

    public bool Matches(ulong index, ulong term) => TryGetTerm(index, out var t) && t == term;

    /// <summary>Entries [from, to], both present in the log.</summary>
    public ReadOnlyMemory<LogEntry> Slice(ulong from, ulong to) =>
        new(_entries, (int)(from - FirstIndex), (int)(to - from + 1));

    public void Append(in LogEntry entry)
    {
        if (_count == _entries.Length)
        {
            Array.Resize(ref _entries, _entries.Length * 2);
        }

        _entries[_count++] = entry;
    }

    /// <summary>Keeps entries up to <paramref name="index"/> (at least the snapshot index).</summary>
    public void TruncateAfter(ulong index)
    {
        var keep = (int)(index - Snapshot.Index);
        Array.Clear(_entries, keep, _count - keep);
        _count = keep;
    }

    /// <summary>Drops entries covered by <paramref name="snapshot"/>, which must lie within the log.</summary>
    public void Compact(SnapshotMetadata snapshot)
    {
        var drop = (int)(snapshot.Index - Snapshot.Index);
        Array.Copy(_entries, drop, _entries, 0, _count - drop);
        Array.Clear(_entries, _count - drop, drop);
        _count -= drop;
        Snapshot = snapshot;
    }

    /// <summary>Discards every entry: the log restarts after <paramref name="snapshot"/>.</summary>
    public void Reset(SnapshotMetadata snapshot)
    {
        Array.Clear(_entries, 0, _count);
        _count = 0;
        Snapshot = snapshot;
    }

    /// <summary>Raft's "at least as up to date" rule for a candidate whose log ends at (index, term).</summary>
    public bool IsUpToDate(ulong index, ulong term) =>
        term > LastTerm || (term == LastTerm && index >= LastIndex);

    /// <summary>The last index at or below <paramref name="upTo"/> whose term is <paramref name="term"/>, or 0.</summary>
    public ulong LastIndexOfTerm(ulong term, ulong upTo)
    {
        for (var i = Math.Min(upTo, LastIndex); ; i--)
        {
            if (!TryGetTerm(i, out var t) || t < term)
            {
                return 0;
            }

            if (t == term)
            {
                return i;
            }

            if (i == 0)
            {
                return 0;
            }
        }
    }

    /// <summary>The first index of the run of <paramref name="term"/> that contains <paramref name="index"/>.</summary>
    public ulong FirstIndexOfTermAt(ulong index, ulong term)
    {
        while (index > FirstIndex && TryGetTerm(index - 1, out var t) && t == term)
        {
            index--;
        }

        return index;
    }
}
