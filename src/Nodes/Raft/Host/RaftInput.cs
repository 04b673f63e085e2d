namespace Sinkron.Nodes.Raft.Host;

/// <summary>What the Raft loop is handed: a peer's message, the leader's durability report, or a piece of work.</summary>
internal readonly record struct RaftInput(RaftInputKind Kind, RaftMessage Message, ulong Index, ulong Term, Action<RaftNode>? Work)
{
    public static RaftInput Received(in RaftMessage message) => new(RaftInputKind.Message, message, 0, 0, null);

    public static RaftInput Durable(ulong index, ulong term) => new(RaftInputKind.Persisted, default, index, term, null);

    public static RaftInput Run(Action<RaftNode> work) => new(RaftInputKind.Work, default, 0, 0, work);
}

internal enum RaftInputKind : byte
{
    Message,
    Persisted,
    Work,
}
