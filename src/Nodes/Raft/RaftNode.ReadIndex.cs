namespace Sinkron.Nodes.Raft;

// ReadIndex: a read is linearizable at the commit index the leader had when it was asked, once the
// leader has committed an entry of its term and a majority confirmed it still leads (a heartbeat
// round that started after the request).
internal sealed partial class RaftNode
{
    private readonly Queue<PendingRead> _pendingReads = new();

    // Numbers heartbeat rounds that confirm reads; followers echo it back in HeartbeatResponse.Context.
    private ulong _readSeq;

    /// <summary>
    /// Asks for a linearizable read. The answer appears later in <see cref="Ready.ReadStates"/> with
    /// <paramref name="requestContext"/>; serve the read once the state machine applied its index.
    /// Returns false when no leader is known (retry later). Requests are dropped, unanswered, if
    /// leadership changes meanwhile, so callers need a timeout.
    /// </summary>
    public bool ReadIndex(ulong requestContext)
    {
        EnsureNoReadyOutstanding();
        if (Role == RaftRole.Leader)
        {
            HandleReadRequest(Id, requestContext);
            return true;
        }

        if (LeaderId == 0)
        {
            return false;
        }

        Send(new RaftMessage { Type = RaftMessageType.ReadIndex, To = LeaderId, Context = requestContext });
        return true;
    }

    private void HandleReadRequest(ulong origin, ulong context)
    {
        if (_quorum == 1)
        {
            if (_log.TermOrZero(CommitIndex) == Term)
            {
                ReleaseRead(new PendingRead(origin, context, CommitIndex, 0));
            }
            else
            {
                _pendingReads.Enqueue(new PendingRead(origin, context, 0, 0));
            }

            return;
        }

        if (_log.TermOrZero(CommitIndex) != Term)
        {
            // Our commit index may lag what the previous leader committed: wait for our no-op.
            _pendingReads.Enqueue(new PendingRead(origin, context, 0, 0));
            return;
        }

        _pendingReads.Enqueue(new PendingRead(origin, context, CommitIndex, ++_readSeq));
        BroadcastHeartbeat();
    }

    /// <summary>Called when the commit index advances: reads waiting for this term's first commit can start.</summary>
    private void StartPendingReads()
    {
        if (_pendingReads.Count == 0)
        {
            return;
        }

        var waiting = false;
        var count = _pendingReads.Count;
        for (var i = 0; i < count; i++)
        {
            var read = _pendingReads.Dequeue();
            if (read.Seq == 0)
            {
                read = read with { Index = CommitIndex, Seq = _readSeq + 1 };
                waiting = true;
            }

            _pendingReads.Enqueue(read);
        }

        if (waiting)
        {
            _readSeq++;
            if (_quorum == 1)
            {
                ReleaseConfirmedReads();
            }
            else
            {
                BroadcastHeartbeat();
            }
        }
    }

    private void ReleaseConfirmedReads()
    {
        while (_pendingReads.Count > 0)
        {
            var read = _pendingReads.Peek();
            if (read.Seq == 0 || !ReadConfirmed(read.Seq))
            {
                return;
            }

            _pendingReads.Dequeue();
            ReleaseRead(read);
        }
    }

    private bool ReadConfirmed(ulong seq)
    {
        var acks = 0;
        foreach (var pr in _peers)
        {
            if (pr.Id == Id || pr.ReadAck >= seq)
            {
                acks++;
            }
        }

        return acks >= _quorum;
    }

    private void ReleaseRead(in PendingRead read)
    {
        if (read.Origin == Id)
        {
            _readStates.Add(new ReadState(read.Context, read.Index));
        }
        else
        {
            Send(new RaftMessage { Type = RaftMessageType.ReadIndexResponse, To = read.Origin, Context = read.Context, Index = read.Index });
        }
    }

    private readonly record struct PendingRead(ulong Origin, ulong Context, ulong Index, ulong Seq);
}
