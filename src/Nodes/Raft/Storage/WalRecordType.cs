namespace Sinkron.Nodes.Raft.Storage;

/// <summary>The first payload byte of a WAL record. Values are on disk: never renumber.</summary>
internal enum WalRecordType : byte
{
    /// <summary><c>u64 index | u64 term | u8 kind | data</c></summary>
    Entry = 1,

    /// <summary><c>u64 fromIndex</c>: entries from this index on are gone (a follower overwriting a conflicting suffix).</summary>
    Truncate = 2,

    /// <summary><c>u64 term | u64 votedFor | u64 commit</c></summary>
    HardState = 3,
}
