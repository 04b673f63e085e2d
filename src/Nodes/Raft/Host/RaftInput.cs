namespace Sinkron.Nodes.Raft.Host;

/// <summary>What other threads hand the Raft thread: a peer's message or a piece of work.</summary>
internal readonly record struct RaftInput(RaftInputKind Kind, RaftMessage Message, Action<RaftNode>? Work)
{
    public static RaftInput Received(in RaftMessage message) => new(RaftInputKind.Message, message, null);

    public static RaftInput Run(Action<RaftNode> work) => new(RaftInputKind.Work, default, work);
}

internal enum RaftInputKind : byte
{
    Message,
    Work,
}
