namespace Sinkron.Nodes.Raft;

internal enum RaftRole : byte
{
    Follower,

    /// <summary>Asking for pre-votes: the term is not raised until a majority would vote.</summary>
    PreCandidate,
    Candidate,
    Leader,
}
