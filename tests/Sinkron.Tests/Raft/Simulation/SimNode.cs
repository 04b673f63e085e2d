using Sinkron.Nodes.Raft;

namespace Sinkron.Tests.Raft.Simulation;

/// <summary>One simulated server: the Raft core (null while crashed), its disk and its state machine.</summary>
internal sealed class SimNode(ulong id)
{
    public ulong Id { get; } = id;

    public RaftNode? Raft { get; set; }

    /// <summary>Bumped at each crash, so timers and fsyncs scheduled before it are ignored.</summary>
    public int Incarnation { get; set; }

    public SimDisk Disk { get; } = new();

    public SimStateMachine State;

    /// <summary>The commit index last seen on this incarnation (commit must never move back).</summary>
    public ulong LastCommit { get; set; }

    public RaftRole LastRole { get; set; }

    public ulong LastTerm { get; set; }

    public bool Alive => Raft is not null;
}
