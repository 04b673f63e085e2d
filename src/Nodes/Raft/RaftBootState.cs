namespace Sinkron.Nodes.Raft;

/// <summary>
/// What the application read back from durable storage when (re)starting a node: the hard state,
/// the latest snapshot (the application has already restored its state machine from it) and the
/// log entries after that snapshot, contiguous from <c>Snapshot.Index + 1</c>.
/// </summary>
internal sealed class RaftBootState
{
    public static RaftBootState Empty { get; } = new();

    public HardState HardState { get; init; }

    public SnapshotMetadata Snapshot { get; init; }

    /// <summary>The snapshot's bytes, kept so this node can send them to a lagging follower when it leads.</summary>
    public ReadOnlyMemory<byte> SnapshotData { get; init; }

    public ReadOnlyMemory<LogEntry> Entries { get; init; }
}
