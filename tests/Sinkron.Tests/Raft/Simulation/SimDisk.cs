using Sinkron.Nodes.Raft;

namespace Sinkron.Tests.Raft.Simulation;

/// <summary>
/// A node's storage: writes queue in order and become durable only at fsync; a crash loses the queue.
/// Checks the storage contract the core must honor (contiguous appends, no truncation below commit).
/// </summary>
internal sealed class SimDisk
{
    private readonly List<Write> _pending = [];

    public HardState HardState { get; private set; }

    public SnapshotMetadata Snapshot { get; private set; }

    public byte[] SnapshotData { get; private set; } = [];

    /// <summary>Durable entries after <see cref="Snapshot"/>.</summary>
    public List<LogEntry> Log { get; } = [];

    public bool HasPending => _pending.Count > 0;

    public bool FsyncScheduled { get; set; }

    public ulong LastIndex => Snapshot.Index + (ulong)Log.Count;

    public ulong LastTerm => Log.Count == 0 ? Snapshot.Term : Log[^1].Term;

    public void Queue(Ready rd)
    {
        if (rd.Snapshot is { } snap)
        {
            _pending.Add(new Write { Snapshot = snap, SnapshotData = rd.SnapshotData.ToArray() });
        }

        if (rd.TruncateFrom != 0)
        {
            _pending.Add(new Write { TruncateFrom = rd.TruncateFrom });
        }

        if (!rd.Entries.IsEmpty)
        {
            _pending.Add(new Write { Entries = rd.Entries.ToArray() });
        }

        if (rd.HasHardState)
        {
            _pending.Add(new Write { HardState = rd.HardState, HasHardState = true });
        }
    }

    public void Fsync()
    {
        foreach (var w in _pending)
        {
            if (w.Snapshot is { } snap)
            {
                Snapshot = snap;
                SnapshotData = w.SnapshotData!;
                Log.Clear();
            }

            if (w.TruncateFrom != 0)
            {
                if (w.TruncateFrom <= Snapshot.Index)
                {
                    throw new InvalidOperationException($"storage asked to truncate from {w.TruncateFrom}, at or below the snapshot {Snapshot.Index}");
                }

                var keep = (int)Math.Min((ulong)Log.Count, w.TruncateFrom - Snapshot.Index - 1);
                Log.RemoveRange(keep, Log.Count - keep);
            }

            if (w.Entries is { } entries)
            {
                if (entries[0].Index != LastIndex + 1)
                {
                    throw new InvalidOperationException($"storage asked to append at {entries[0].Index} after last index {LastIndex}");
                }

                Log.AddRange(entries);
            }

            if (w.HasHardState)
            {
                HardState = w.HardState;
            }
        }

        _pending.Clear();
        FsyncScheduled = false;
    }

    public void Crash()
    {
        _pending.Clear();
        FsyncScheduled = false;
    }

    /// <summary>The application wrote a snapshot file (durably) and may drop the entries it covers.</summary>
    public void SaveSnapshot(SnapshotMetadata snap, byte[] data)
    {
        if (snap.Index <= Snapshot.Index)
        {
            return;
        }

        var drop = (int)Math.Min((ulong)Log.Count, snap.Index - Snapshot.Index);
        Log.RemoveRange(0, drop);
        Snapshot = snap;
        SnapshotData = data;
    }

    public RaftBootState Boot() => new()
    {
        HardState = HardState,
        Snapshot = Snapshot,
        SnapshotData = SnapshotData,
        Entries = Log.ToArray(),
    };

    private sealed class Write
    {
        public SnapshotMetadata? Snapshot { get; init; }
        public byte[]? SnapshotData { get; init; }
        public ulong TruncateFrom { get; init; }
        public LogEntry[]? Entries { get; init; }
        public HardState HardState { get; init; }
        public bool HasHardState { get; init; }
    }
}
