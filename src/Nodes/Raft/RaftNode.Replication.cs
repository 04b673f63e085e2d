namespace Sinkron.Nodes.Raft;

// Log replication: leader side (pipelined appends, backtracking, commit) and follower side
// (append, conflict truncation, acknowledgements after persistence).
internal sealed partial class RaftNode
{
    // Leader: proposals since the last Ready, sent together at the next GetReady.
    private bool _appendPending;

    // Follower: highest index known to match the current leader's log (this term).
    private ulong _verifiedMatch;
    private ulong _lastAckSent;

    /// <summary>
    /// What a follower may acknowledge: durable here, and known to match the leader (checked by an
    /// append this term, or committed, which every leader holds).
    /// </summary>
    private ulong AckIndex => Math.Min(_persisted, Math.Max(_verifiedMatch, CommitIndex));

    private void StepLeader(in RaftMessage m)
    {
        var i = PeerIndex(m.From);
        var pr = _peers[i];
        switch (m.Type)
        {
            case RaftMessageType.AppendResponse:
                pr.RecentActive = true;
                if (m.Reject)
                {
                    HandleAppendRejected(pr, in m);
                }
                else
                {
                    HandleAppendAcked(pr, m.Index);
                }

                break;
            case RaftMessageType.HeartbeatResponse:
                pr.RecentActive = true;
                HandleHeartbeatResponse(pr, in m);
                break;
            case RaftMessageType.SnapshotResponse:
                pr.RecentActive = true;
                HandleSnapshotResponse(pr, in m);
                break;
        }
    }

    private void StepFollower(in RaftMessage m)
    {
        switch (m.Type)
        {
            case RaftMessageType.Append:
                HearFromLeader(m.From);
                HandleAppend(in m);
                break;
            case RaftMessageType.Heartbeat:
                HearFromLeader(m.From);
                HandleHeartbeat(in m);
                break;
            case RaftMessageType.Snapshot:
                HearFromLeader(m.From);
                HandleSnapshotChunk(in m);
                break;
            case RaftMessageType.TimeoutNow:
                HandleTimeoutNow();
                break;
            case RaftMessageType.ReadIndexResponse:
                _readStates.Add(new ReadState(m.Context, m.Index));
                break;
        }
    }

    private void HearFromLeader(ulong leader)
    {
        _electionElapsed = 0;
        LeaderId = leader;
    }

    private void HandleAppendAcked(Progress pr, ulong index)
    {
        if (index <= pr.Match || index > _log.LastIndex)
        {
            // Stale or duplicate; a probe waiting on it may go again.
            if (pr.State == ProgressState.Probe)
            {
                pr.ProbeSent = false;
            }

            return;
        }

        pr.Match = index;
        pr.FreeInflightTo(index);
        switch (pr.State)
        {
            case ProgressState.Probe:
                pr.BecomeReplicate();
                break;
            case ProgressState.Snapshot:
                if (pr.Match >= pr.PendingSnapshot || pr.Match + 1 >= _log.FirstIndex)
                {
                    pr.BecomeReplicate();
                }

                break;
            default:
                if (pr.Next <= index)
                {
                    pr.Next = index + 1;
                }

                break;
        }

        if (MaybeCommit())
        {
            BroadcastAppend(allowEmpty: false);
        }
        else
        {
            SendAppend(pr, allowEmpty: false);
        }

        if (pr.Id == LeadTransferee && pr.Match == _log.LastIndex)
        {
            Send(new RaftMessage { Type = RaftMessageType.TimeoutNow, To = pr.Id });
        }
    }

    private void HandleAppendRejected(Progress pr, in RaftMessage m)
    {
        switch (pr.State)
        {
            case ProgressState.Replicate when m.Index > pr.Match:
                pr.BecomeProbe();
                break;
            case ProgressState.Probe when m.Index == pr.Next - 1:
                pr.ProbeSent = false;
                break;
            default:
                return; // stale: answers an append sent before the leader changed course
        }

        pr.Next = NextAfterRejection(pr, in m);
        SendAppend(pr, allowEmpty: true);
    }

    /// <summary>
    /// Fast backtracking: skip a whole conflicting term at once. If the follower's log is too short,
    /// resume after its end; if the leader has the conflicting term, resume after its last entry of
    /// that term; otherwise resume at the first index the follower has of that term.
    /// </summary>
    private ulong NextAfterRejection(Progress pr, in RaftMessage m)
    {
        ulong next;
        if (m.LogTerm == 0)
        {
            next = m.RejectHint + 1;
        }
        else
        {
            var last = _log.LastIndexOfTerm(m.LogTerm, m.Index);
            next = last != 0 ? last + 1 : m.RejectHint;
        }

        return Math.Max(Math.Min(next, m.Index), pr.Match + 1);
    }

    private void HandleHeartbeatResponse(Progress pr, in RaftMessage m)
    {
        if (m.Context > pr.ReadAck)
        {
            pr.ReadAck = m.Context;
            ReleaseConfirmedReads();
        }

        switch (pr.State)
        {
            case ProgressState.Snapshot:
                SendSnapshotChunk(pr);
                return;
            case ProgressState.Probe:
                pr.ProbeSent = false;
                break;
            case ProgressState.Replicate when pr.InflightFull:
                pr.FreeFirstInflight();
                break;
        }

        if (pr.Match < _log.LastIndex)
        {
            // An empty append doubles as a probe: it is rejected if an earlier append was lost.
            SendAppend(pr, allowEmpty: true);
        }
    }

    /// <summary>
    /// Sends appends to every follower that is not paused. A new commit index alone sends nothing
    /// (<paramref name="allowEmpty"/> false): followers learn it from the next append or heartbeat.
    /// An empty append per commit cost each follower a message, a hard-state write and an fsync, and
    /// the leader an acknowledgement, for every batch; followers only need the commit index to apply
    /// early, and a new leader commits its predecessor's entries anyway.
    /// </summary>
    private void BroadcastAppend(bool allowEmpty)
    {
        foreach (var pr in _peers)
        {
            if (pr.Id != Id)
            {
                SendAppend(pr, allowEmpty);
            }
        }
    }

    private void SendAppend(Progress pr, bool allowEmpty)
    {
        while (!pr.IsPaused)
        {
            var prev = pr.Next - 1;
            if (!_log.TryGetTerm(prev, out var prevTerm))
            {
                StartSnapshot(pr);
                return;
            }

            var last = Math.Min(_log.LastIndex, prev + (ulong)_config.MaxEntriesPerAppend);
            if (last == prev && !allowEmpty)
            {
                return;
            }

            Send(new RaftMessage
            {
                Type = RaftMessageType.Append,
                To = pr.Id,
                Index = prev,
                LogTerm = prevTerm,
                Commit = CommitIndex,
                Entries = last > prev ? _log.Slice(prev + 1, last) : default,
            });

            if (pr.State == ProgressState.Probe)
            {
                pr.ProbeSent = true;
                return;
            }

            if (last == prev)
            {
                return;
            }

            pr.Next = last + 1;
            pr.AddInflight(last);
            allowEmpty = false;
        }
    }

    private void BroadcastHeartbeat()
    {
        foreach (var pr in _peers)
        {
            if (pr.Id != Id)
            {
                Send(new RaftMessage
                {
                    Type = RaftMessageType.Heartbeat,
                    To = pr.Id,
                    Commit = Math.Min(pr.Match, CommitIndex),
                    Context = _readSeq,
                });
            }
        }
    }

    /// <summary>Commits the highest index durable on a majority, if it is from this term.</summary>
    private bool MaybeCommit()
    {
        for (var i = 0; i < _peers.Length; i++)
        {
            _matchScratch[i] = _peers[i].Id == Id ? _persisted : _peers[i].Match;
        }

        Array.Sort(_matchScratch);
        var index = _matchScratch[_peers.Length - _quorum];
        if (index <= CommitIndex || _log.TermOrZero(index) != Term)
        {
            return false;
        }

        CommitIndex = index;
        StartPendingReads();
        return true;
    }

    private void HandleAppend(in RaftMessage m)
    {
        if (m.Index < CommitIndex)
        {
            // Everything up to our commit already matches; say how far we are durable.
            SendAck(force: true);
            return;
        }

        if (!_log.TryGetTerm(m.Index, out var prevTerm) || prevTerm != m.LogTerm)
        {
            RejectAppend(in m, prevTerm);
            return;
        }

        var entries = m.Entries.Span;
        for (var i = 0; i < entries.Length; i++)
        {
            if (entries[i].Index != m.Index + 1 + (ulong)i)
            {
                return; // malformed: entries must follow the previous index contiguously
            }
        }

        for (var i = 0; i < entries.Length; i++)
        {
            ref readonly var e = ref entries[i];
            if (e.Index <= _log.LastIndex)
            {
                if (_log.TermOrZero(e.Index) == e.Term)
                {
                    continue;
                }

                TruncateFrom(e.Index);
            }

            _log.Append(in e);
        }

        var lastNew = m.Index + (ulong)entries.Length;
        _verifiedMatch = Math.Max(_verifiedMatch, lastNew);
        var commit = Math.Min(m.Commit, lastNew);
        if (commit > CommitIndex)
        {
            CommitIndex = commit;
        }

        // Entries not yet durable are acknowledged by Persisted.
        SendAck(force: AckIndex >= lastNew);
    }

    private void RejectAppend(in RaftMessage m, ulong conflictTerm)
    {
        ulong hint;
        if (m.Index > _log.LastIndex)
        {
            hint = _log.LastIndex;
            conflictTerm = 0;
        }
        else
        {
            hint = _log.FirstIndexOfTermAt(m.Index, conflictTerm);
        }

        Send(new RaftMessage
        {
            Type = RaftMessageType.AppendResponse,
            To = m.From,
            Index = m.Index,
            LogTerm = conflictTerm,
            RejectHint = hint,
            Flags = RaftMessageFlags.Reject,
        });
    }

    private void TruncateFrom(ulong index)
    {
        if (index <= CommitIndex)
        {
            throw new InvalidOperationException($"Raft safety violation: node {Id} asked to overwrite committed entry {index} (commit {CommitIndex}).");
        }

        _log.TruncateAfter(index - 1);
        if (index < _unstableFrom)
        {
            // Storage already has (or is writing) entries from here on: tell it to drop them.
            _truncateFrom = _truncateFrom == 0 ? index : Math.Min(_truncateFrom, index);
            _unstableFrom = index;
        }

        if (_persisted >= index)
        {
            _persisted = index - 1;
        }
    }

    private void HandleHeartbeat(in RaftMessage m)
    {
        // The leader sends min(our match, its commit), so everything up to it is in our log and matches.
        var commit = Math.Min(m.Commit, _log.LastIndex);
        if (commit > CommitIndex)
        {
            CommitIndex = commit;
        }

        Send(new RaftMessage { Type = RaftMessageType.HeartbeatResponse, To = m.From, Context = m.Context });
    }

    private void MaybeSendAck(bool force)
    {
        if (Role == RaftRole.Follower && LeaderId != 0)
        {
            SendAck(force);
        }
    }

    private void SendAck(bool force)
    {
        var ack = AckIndex;
        if (!force && ack <= _lastAckSent)
        {
            return;
        }

        _lastAckSent = Math.Max(_lastAckSent, ack);
        Send(new RaftMessage { Type = RaftMessageType.AppendResponse, To = LeaderId, Index = ack });
    }
}
