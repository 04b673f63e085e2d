namespace Sinkron.Nodes.Raft;

internal enum ProgressState : byte
{
    /// <summary>Where the follower's log matches is unknown: one append at a time until one succeeds.</summary>
    Probe,

    /// <summary>Matching: appends are pipelined, up to the inflight window.</summary>
    Replicate,

    /// <summary>The follower needs entries the leader compacted: a snapshot is being sent.</summary>
    Snapshot,
}

/// <summary>The leader's view of one follower.</summary>
internal sealed class Progress
{
    // Ring of the last index carried by each unacknowledged append, oldest first.
    private readonly ulong[] _inflight;
    private int _inflightStart;
    private int _inflightCount;

    public Progress(ulong id, int maxInflight)
    {
        Id = id;
        _inflight = new ulong[maxInflight];
    }

    public ulong Id { get; }

    /// <summary>Highest index known durable on the follower and matching the leader.</summary>
    public ulong Match { get; set; }

    /// <summary>Next index to send.</summary>
    public ulong Next { get; set; }

    public ProgressState State { get; private set; }

    /// <summary>In probe state, an append is out and its answer (or a heartbeat answer) is awaited.</summary>
    public bool ProbeSent { get; set; }

    /// <summary>Heard from in the current check-quorum period.</summary>
    public bool RecentActive { get; set; }

    /// <summary>Highest read sequence this follower confirmed in the current term (ReadIndex).</summary>
    public ulong ReadAck { get; set; }

    /// <summary>Index of the snapshot being sent.</summary>
    public ulong PendingSnapshot { get; private set; }

    /// <summary>Bytes of that snapshot the follower confirmed.</summary>
    public ulong SnapshotOffset { get; set; }

    public bool InflightFull => _inflightCount == _inflight.Length;

    public bool IsPaused => State switch
    {
        ProgressState.Probe => ProbeSent,
        ProgressState.Replicate => InflightFull,
        _ => true,
    };

    public void Reset(ulong next)
    {
        Match = 0;
        Next = next;
        RecentActive = true;
        ReadAck = 0;
        BecomeProbe();
    }

    public void BecomeProbe()
    {
        State = ProgressState.Probe;
        ProbeSent = false;
        ClearInflight();
    }

    public void BecomeReplicate()
    {
        State = ProgressState.Replicate;
        Next = Match + 1;
        ProbeSent = false;
        ClearInflight();
    }

    public void BecomeSnapshot(ulong snapshotIndex)
    {
        State = ProgressState.Snapshot;
        PendingSnapshot = snapshotIndex;
        SnapshotOffset = 0;
        ClearInflight();
    }

    public void AddInflight(ulong lastIndex)
    {
        _inflight[(_inflightStart + _inflightCount) % _inflight.Length] = lastIndex;
        _inflightCount++;
    }

    /// <summary>Frees every append whose entries end at or below <paramref name="index"/>.</summary>
    public void FreeInflightTo(ulong index)
    {
        while (_inflightCount > 0 && _inflight[_inflightStart] <= index)
        {
            _inflightStart = (_inflightStart + 1) % _inflight.Length;
            _inflightCount--;
        }
    }

    /// <summary>Frees the oldest append, so a lost answer cannot stall the pipeline forever.</summary>
    public void FreeFirstInflight()
    {
        if (_inflightCount > 0)
        {
            _inflightStart = (_inflightStart + 1) % _inflight.Length;
            _inflightCount--;
        }
    }

    private void ClearInflight()
    {
        _inflightStart = 0;
        _inflightCount = 0;
    }
}
