namespace Sinkron.Nodes.Raft;

/// <summary>Static settings of one <see cref="RaftNode"/>. Times are in ticks of the application's clock.</summary>
internal sealed class RaftConfig
{
    /// <summary>This node's id (1..N; 0 means "none" everywhere in the core).</summary>
    public required ulong Id { get; init; }

    /// <summary>Every voting member, this node included. Membership is fixed.</summary>
    public required IReadOnlyList<ulong> Voters { get; init; }

    /// <summary>
    /// Source of the randomized election timeout. Passed in so a simulation can seed it;
    /// the core never reaches for a shared generator.
    /// </summary>
    public required Random Random { get; init; }

    /// <summary>A follower campaigns after a random timeout in [ElectionTicks, 2*ElectionTicks).</summary>
    public int ElectionTicks { get; init; } = 10;

    /// <summary>A leader sends heartbeats every this many ticks. Must be below <see cref="ElectionTicks"/>.</summary>
    public int HeartbeatTicks { get; init; } = 1;

    /// <summary>Most entries carried by one Append message.</summary>
    public int MaxEntriesPerAppend { get; init; } = 64;

    /// <summary>Most unacknowledged Append messages with entries per follower (the pipelining window).</summary>
    public int MaxInflightAppends { get; init; } = 8;

    /// <summary>Most snapshot bytes carried by one Snapshot message.</summary>
    public int MaxSnapshotChunk { get; init; } = 64 * 1024;

    /// <summary>Ask for pre-votes before raising the term, so a node that was cut off cannot disrupt the cluster.</summary>
    public bool PreVote { get; init; } = true;

    /// <summary>A leader steps down when it has not heard from a majority for an election timeout.</summary>
    public bool CheckQuorum { get; init; } = true;

    internal void Validate()
    {
        if (Id == 0)
        {
            throw new ArgumentException("Raft node id must be non-zero.", nameof(Id));
        }

        var self = false;
        for (var i = 0; i < Voters.Count; i++)
        {
            if (Voters[i] == 0)
            {
                throw new ArgumentException("Raft voter ids must be non-zero.", nameof(Voters));
            }

            for (var j = 0; j < i; j++)
            {
                if (Voters[j] == Voters[i])
                {
                    throw new ArgumentException($"Raft voter {Voters[i]} is listed twice.", nameof(Voters));
                }
            }

            self |= Voters[i] == Id;
        }

        if (!self)
        {
            throw new ArgumentException($"Raft node {Id} is not in its own voter list.", nameof(Voters));
        }

        if (ElectionTicks < 2 || HeartbeatTicks < 1 || HeartbeatTicks >= ElectionTicks)
        {
            throw new ArgumentException("Raft needs ElectionTicks >= 2 and 1 <= HeartbeatTicks < ElectionTicks.");
        }

        if (MaxEntriesPerAppend < 1 || MaxInflightAppends < 1 || MaxSnapshotChunk < 1)
        {
            throw new ArgumentException("Raft MaxEntriesPerAppend, MaxInflightAppends and MaxSnapshotChunk must be positive.");
        }
    }
}
