namespace Sinkron.Nodes.Raft.Host;

/// <summary>
/// The replicated service on top of <see cref="RaftHost"/>. Every call comes from inside a Raft pass,
/// one at a time, so the implementation needs no locks around its state.
/// </summary>
internal interface IRaftApplication
{
    /// <summary>Applies a committed command entry.</summary>
    void Apply(in LogEntry entry);

    /// <summary>The whole state, for a snapshot at the last applied index.</summary>
    byte[] TakeSnapshot();

    /// <summary>Replaces the whole state with a snapshot's.</summary>
    void Restore(ReadOnlyMemory<byte> snapshot);

    /// <summary>A ReadIndex request is now safe to serve (everything up to its index is applied).</summary>
    void OnReadReady(ulong context);

    /// <summary>Every tick (and after role changes): the leader's periodic duties, failing work when leadership is lost.</summary>
    void OnTick(RaftNode raft);

    /// <summary>End of a pass of the loop, before its fsync: flush whatever responses were queued.</summary>
    void OnBatchEnd();
}
