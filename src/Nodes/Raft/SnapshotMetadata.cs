namespace Sinkron.Nodes.Raft;

/// <summary>The log position a snapshot covers: every entry up to and including <see cref="Index"/>.</summary>
public readonly record struct SnapshotMetadata(ulong Index, ulong Term);
