namespace Sinkron.Nodes.Raft;

internal enum RaftMessageType : byte
{
    None = 0,
    PreVote = 1,
    PreVoteResponse = 2,
    Vote = 3,
    VoteResponse = 4,
    Append = 5,
    AppendResponse = 6,
    Heartbeat = 7,
    HeartbeatResponse = 8,

    /// <summary>One chunk of a snapshot; chunks are sent one at a time, each answered by a SnapshotResponse.</summary>
    Snapshot = 9,
    SnapshotResponse = 10,

    /// <summary>Leadership transfer: the leader tells a caught-up follower to campaign now.</summary>
    TimeoutNow = 11,

    /// <summary>A follower forwards a read request to the leader; Context carries the caller's request context.</summary>
    ReadIndex = 12,
    ReadIndexResponse = 13,
}

[Flags]
internal enum RaftMessageFlags : byte
{
    None = 0,
    Reject = 1,

    /// <summary>The snapshot chunk is the last one.</summary>
    Done = 2,

    /// <summary>A vote asked for by leadership transfer: voters ignore their leader lease.</summary>
    Force = 4,
}

/// <summary>
/// Every message the Raft core sends or receives. One flat struct so the codec, the network
/// and the simulation handle a single shape; fields a type does not use stay zero.
/// <para>
/// Field use by type:
/// PreVote/Vote: Index, LogTerm = candidate's last entry; Force for a transfer.
/// Append: Index, LogTerm = the entry before Entries; Commit = leader's commit.
/// AppendResponse: Index = highest index known to match the leader and durable (success), or the
/// rejected previous index (Reject) with RejectHint = first index of the conflicting term LogTerm,
/// or the follower's last index when LogTerm is 0.
/// Heartbeat/HeartbeatResponse: Commit; Context = the leader's read sequence being confirmed.
/// Snapshot: Index, LogTerm = snapshot metadata; Offset, Data = the chunk; Done on the last one.
/// SnapshotResponse: Index = snapshot index; Offset = bytes received so far (the next offset wanted).
/// ReadIndex/ReadIndexResponse: Context = request context; Index = the read index.
/// </para>
/// </summary>
internal readonly record struct RaftMessage
{
    public RaftMessageType Type { get; init; }

    public RaftMessageFlags Flags { get; init; }

    public ulong From { get; init; }

    public ulong To { get; init; }

    public ulong Term { get; init; }

    public ulong Index { get; init; }

    public ulong LogTerm { get; init; }

    public ulong Commit { get; init; }

    public ulong RejectHint { get; init; }

    public ulong Context { get; init; }

    public ulong Offset { get; init; }

    public ReadOnlyMemory<LogEntry> Entries { get; init; }

    public ReadOnlyMemory<byte> Data { get; init; }

    public bool Reject => (Flags & RaftMessageFlags.Reject) != 0;

    public bool Done => (Flags & RaftMessageFlags.Done) != 0;

    public bool Force => (Flags & RaftMessageFlags.Force) != 0;
}
