namespace Sinkron.Nodes.Raft;

/// <summary>What a log entry carries: a state-machine command, or the no-op a new leader appends.</summary>
public enum EntryKind : byte
{
    Command = 0,
    Noop = 1,

    /// <summary>Benchmark payload (<c>--raft-load</c>): replicated, persisted and committed like a command, never applied.</summary>
    Load = 2,
}

/// <summary>One entry of the replicated log. <see cref="Data"/> is owned by the entry once appended.</summary>
public readonly record struct LogEntry(ulong Index, ulong Term, EntryKind Kind, ReadOnlyMemory<byte> Data);
