namespace Sinkron.Nodes.Raft;

// Elections: timeouts, pre-vote, votes, role changes, check-quorum, leadership transfer.
internal sealed partial class RaftNode
{
    // Per voter slot: 0 = no answer, 1 = granted, -1 = rejected.
    private readonly sbyte[] _votes;

    /// <summary>
    /// Hands leadership to <paramref name="target"/>: new proposals are refused while it catches up,
    /// then it is told to campaign at once (TimeoutNow). Abandoned after an election timeout.
    /// </summary>
    public void TransferLeadership(ulong target)
    {
        EnsureNoReadyOutstanding();
        var i = PeerIndex(target);
        if (Role != RaftRole.Leader || target == Id || i < 0)
        {
            return;
        }

        LeadTransferee = target;
        _electionElapsed = 0;
        var pr = _peers[i];
        if (pr.Match == _log.LastIndex)
        {
            Send(new RaftMessage { Type = RaftMessageType.TimeoutNow, To = target });
        }
        else
        {
            SendAppend(pr, allowEmpty: false);
        }
    }

    /// <summary>Campaigns now, as if the election timeout had elapsed (tests and operators).</summary>
    public void Campaign()
    {
        EnsureNoReadyOutstanding();
        if (Role != RaftRole.Leader)
        {
            StartElection(_config.PreVote, force: false);
        }
    }

    private void TickElection()
    {
        _electionElapsed++;
        if (_electionElapsed >= _randomizedElectionTimeout)
        {
            StartElection(_config.PreVote, force: false);
        }
    }

    private void TickLeader()
    {
        _heartbeatElapsed++;
        _electionElapsed++;
        if (_electionElapsed >= _config.ElectionTicks)
        {
            _electionElapsed = 0;
            if (_config.CheckQuorum && !QuorumActive())
            {
                BecomeFollower(Term, 0);
                return;
            }

            LeadTransferee = 0;
        }

        if (_heartbeatElapsed >= _config.HeartbeatTicks)
        {
            _heartbeatElapsed = 0;
            BroadcastHeartbeat();
        }
    }

    private bool QuorumActive()
    {
        var active = 0;
        foreach (var pr in _peers)
        {
            if (pr.Id == Id || pr.RecentActive)
            {
                active++;
            }

            pr.RecentActive = false;
        }

        return active >= _quorum;
    }

    private void StartElection(bool preVote, bool force)
    {
        ResetElectionTimer();
        LeaderId = 0;
        Array.Clear(_votes);
        _votes[PeerIndex(Id)] = 1;
        RaftMessageType type;
        ulong term;
        if (preVote)
        {
            Role = RaftRole.PreCandidate;
            type = RaftMessageType.PreVote;
            term = Term + 1;
        }
        else
        {
            Role = RaftRole.Candidate;
            Term++;
            VotedFor = Id;
            type = RaftMessageType.Vote;
            term = Term;
        }

        ClearLeaderState();
        if (_quorum == 1)
        {
            WinElection();
            return;
        }

        foreach (var pr in _peers)
        {
            if (pr.Id != Id)
            {
                Send(new RaftMessage
                {
                    Type = type,
                    To = pr.Id,
                    Term = term,
                    Index = _log.LastIndex,
                    LogTerm = _log.LastTerm,
                    Flags = force ? RaftMessageFlags.Force : RaftMessageFlags.None,
                });
            }
        }
    }

    private void WinElection()
    {
        if (Role == RaftRole.PreCandidate)
        {
            StartElection(preVote: false, force: false);
        }
        else
        {
            BecomeLeader();
        }
    }

    private void HandleVoteRequest(in RaftMessage m)
    {
        var preVote = m.Type == RaftMessageType.PreVote;
        var canVote = VotedFor == m.From
            || (VotedFor == 0 && LeaderId == 0)
            || (preVote && m.Term > Term);
        var responseType = preVote ? RaftMessageType.PreVoteResponse : RaftMessageType.VoteResponse;
        if (canVote && _log.IsUpToDate(m.Index, m.LogTerm))
        {
            // A granted pre-vote answers in the candidate's future term, so it is not mistaken for stale.
            Send(new RaftMessage { Type = responseType, To = m.From, Term = m.Term });
            if (!preVote)
            {
                VotedFor = m.From;
                _electionElapsed = 0;
            }
        }
        else
        {
            Send(new RaftMessage { Type = responseType, To = m.From, Flags = RaftMessageFlags.Reject });
        }
    }

    private void StepCandidate(in RaftMessage m)
    {
        switch (m.Type)
        {
            case RaftMessageType.Append:
            case RaftMessageType.Heartbeat:
            case RaftMessageType.Snapshot:
                BecomeFollower(Term, m.From);
                StepFollower(in m);
                return;
            case RaftMessageType.PreVoteResponse when Role == RaftRole.PreCandidate:
            case RaftMessageType.VoteResponse when Role == RaftRole.Candidate:
                CountVote(in m);
                return;
        }
    }

    private void CountVote(in RaftMessage m)
    {
        _votes[PeerIndex(m.From)] = m.Reject ? (sbyte)-1 : (sbyte)1;
        int granted = 0, rejected = 0;
        foreach (var v in _votes)
        {
            if (v > 0)
            {
                granted++;
            }
            else if (v < 0)
            {
                rejected++;
            }
        }

        if (granted >= _quorum)
        {
            WinElection();
        }
        else if (rejected >= _quorum)
        {
            BecomeFollower(Term, 0);
        }
    }

    private void BecomeFollower(ulong term, ulong leader)
    {
        if (term != Term)
        {
            Term = term;
            VotedFor = 0;
        }

        Role = RaftRole.Follower;
        LeaderId = leader;
        ResetElectionTimer();
        ClearLeaderState();
        _verifiedMatch = 0;
        _lastAckSent = 0;
    }

    private void BecomeLeader()
    {
        Role = RaftRole.Leader;
        LeaderId = Id;
        ResetElectionTimer();
        ClearLeaderState();
        foreach (var pr in _peers)
        {
            pr.Reset(_log.LastIndex + 1);
        }

        // Entries of earlier terms commit only under an entry of this term.
        _log.Append(new LogEntry(_log.LastIndex + 1, Term, EntryKind.Noop, default));
        BroadcastAppend(allowEmpty: true);
    }

    private void ClearLeaderState()
    {
        LeadTransferee = 0;
        _pendingReads.Clear();
        _appendPending = false;
    }

    private void HandleTimeoutNow()
    {
        // Only the current leader sends it (the term matched), and it waited until our log caught up.
        StartElection(preVote: false, force: true);
    }
}
