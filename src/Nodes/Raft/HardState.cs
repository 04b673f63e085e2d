namespace Sinkron.Nodes.Raft;

/// <summary>
/// The state Raft must make durable before it answers a vote or an append:
/// the current term, the vote cast in it (0 = none) and the highest known commit index.
/// </summary>
public readonly record struct HardState(ulong Term, ulong VotedFor, ulong Commit)
{
    public static HardState Empty => default;
}
