namespace Sinkron.Nodes.Raft;

/// <summary>
/// A Raft consensus core with no I/O (the etcd/raft shape): the application feeds it ticks,
/// messages and storage acknowledgements, and drains work from it in <see cref="Ready"/> batches.
/// Not thread-safe: one owner thread (or one lock) calls everything.
/// <para>
/// Loop: call <see cref="Tick"/> on a timer, <see cref="Step"/> for each received message,
/// <see cref="Propose"/>/<see cref="ReadIndex"/> for clients; whenever <see cref="HasReady"/>,
/// handle <see cref="GetReady"/> as <see cref="Ready"/> describes and call <see cref="Advance"/>
/// before calling anything else. When storage reports entries durable, call <see cref="Persisted"/>:
/// a follower acknowledges appends only then, and a leader counts only its own durable index toward
/// the commit majority. After applying, call <see cref="Applied"/>; after snapshotting the state
/// machine, call <see cref="CompactLog"/>.
/// </para>
/// </summary>
internal sealed partial class RaftNode
{
    private readonly RaftConfig _config;
    private readonly RaftLog _log;
    private readonly Progress[] _peers;
    private readonly int _quorum;
    private readonly ulong[] _matchScratch;
    private readonly Ready _ready = new();
    private readonly List<RaftMessage> _messages = [];
    private readonly List<ReadState> _readStates = [];

    // Storage bookkeeping: entries below _unstableFrom were handed out in a Ready; of those,
    // entries up to _persisted are acknowledged durable and match the current log.
    private ulong _unstableFrom;
    private ulong _persisted;
    private ulong _truncateFrom;
    private HardState _lastHardState;
    private bool _readyOutstanding;
    private ulong _readyLastIndex;

    // Last index handed out in CommittedEntries (or restored from a snapshot), and confirmed applied.
    private ulong _appliedTo;
    private ulong _applied;

    private ReadOnlyMemory<byte> _snapshotData;
    private bool _snapshotToInstall;

    private int _electionElapsed;
    private int _heartbeatElapsed;
    private int _randomizedElectionTimeout;

    public RaftNode(RaftConfig config, RaftBootState boot)
    {
        config.Validate();
        _config = config;
        _log = new RaftLog(boot.Snapshot, boot.Entries.Span);
        if (boot.HardState.Commit > _log.LastIndex)
        {
            throw new ArgumentException($"Raft boot commit {boot.HardState.Commit} is beyond the last stored entry {_log.LastIndex}: storage lost durable entries.", nameof(boot));
        }

        _peers = new Progress[config.Voters.Count];
        for (var i = 0; i < _peers.Length; i++)
        {
            _peers[i] = new Progress(config.Voters[i], config.MaxInflightAppends);
        }

        _quorum = (_peers.Length / 2) + 1;
        _matchScratch = new ulong[_peers.Length];
        _votes = new sbyte[_peers.Length];

        Term = boot.HardState.Term;
        VotedFor = boot.HardState.VotedFor;
        CommitIndex = Math.Max(boot.HardState.Commit, boot.Snapshot.Index);
        _lastHardState = boot.HardState;
        _snapshotData = boot.SnapshotData;
        _unstableFrom = _log.LastIndex + 1;
        _persisted = _log.LastIndex;
        _appliedTo = boot.Snapshot.Index;
        _applied = boot.Snapshot.Index;
        BecomeFollower(Term, 0);
    }

    public ulong Id => _config.Id;

    public RaftRole Role { get; private set; }

    public ulong Term { get; private set; }

    public ulong VotedFor { get; private set; }

    /// <summary>The leader this node knows of in the current term, or 0.</summary>
    public ulong LeaderId { get; private set; }

    public ulong CommitIndex { get; private set; }

    public ulong AppliedIndex => _applied;

    public ulong PersistedIndex => _persisted;

    public ulong LastIndex => _log.LastIndex;

    public ulong LastTerm => _log.LastTerm;

    public SnapshotMetadata Snapshot => _log.Snapshot;

    /// <summary>The voter a leadership transfer is handing over to, or 0.</summary>
    public ulong LeadTransferee { get; private set; }

    public HardState HardState => new(Term, VotedFor, CommitIndex);

    /// <summary>The term of the entry at <paramref name="index"/>, or 0 when it is compacted or absent.</summary>
    public ulong TermAt(ulong index) => _log.TermOrZero(index);

    public bool HasReady =>
        _messages.Count > 0
        || _readStates.Count > 0
        || _snapshotToInstall
        || _truncateFrom != 0
        || _unstableFrom <= _log.LastIndex
        || _appendPending
        || Math.Min(CommitIndex, _persisted) > _appliedTo
        || HardState != _lastHardState;

    /// <summary>Advances the logical clock by one tick: election timeouts, heartbeats, check-quorum.</summary>
    public void Tick()
    {
        EnsureNoReadyOutstanding();
        if (Role == RaftRole.Leader)
        {
            TickLeader();
        }
        else
        {
            TickElection();
        }
    }

    /// <summary>Feeds one received message. Messages from unknown senders or stale terms are dropped.</summary>
    public void Step(in RaftMessage m)
    {
        EnsureNoReadyOutstanding();
        if (m.To != Id || m.From == Id || PeerIndex(m.From) < 0 || m.Term == 0)
        {
            return;
        }

        if (m.Term > Term)
        {
            if (m.Type is RaftMessageType.PreVote or RaftMessageType.Vote && !m.Force && InLease)
            {
                // A leader was heard from within the election timeout: a (pre)candidate that
                // cannot hear it must not disrupt the cluster.
                return;
            }

            if (m.Type == RaftMessageType.PreVote || (m.Type == RaftMessageType.PreVoteResponse && !m.Reject))
            {
                // A pre-vote is about a term nobody has entered yet.
            }
            else
            {
                var leader = m.Type is RaftMessageType.Append or RaftMessageType.Heartbeat or RaftMessageType.Snapshot ? m.From : 0;
                BecomeFollower(m.Term, leader);
            }
        }
        else if (m.Term < Term)
        {
            if ((_config.CheckQuorum || _config.PreVote) && m.Type is RaftMessageType.Append or RaftMessageType.Heartbeat)
            {
                // Tell a stale leader about the newer term so it steps down; otherwise a node whose
                // term rose while cut off could wait forever, rejected by pre-vote and ignored by the leader.
                Send(new RaftMessage { Type = RaftMessageType.AppendResponse, To = m.From });
            }
            else if (m.Type == RaftMessageType.PreVote)
            {
                Send(new RaftMessage { Type = RaftMessageType.PreVoteResponse, To = m.From, Flags = RaftMessageFlags.Reject });
            }

            return;
        }

        switch (m.Type)
        {
            case RaftMessageType.PreVote:
            case RaftMessageType.Vote:
                HandleVoteRequest(in m);
                return;
            case RaftMessageType.ReadIndex:
                if (Role == RaftRole.Leader)
                {
                    HandleReadRequest(m.From, m.Context);
                }

                return;
        }

        switch (Role)
        {
            case RaftRole.Leader:
                StepLeader(in m);
                break;
            case RaftRole.Follower:
                StepFollower(in m);
                break;
            default:
                StepCandidate(in m);
                break;
        }
    }

    /// <summary>
    /// Appends a command to the log if this node leads and no transfer is under way; it goes out with
    /// the next <see cref="GetReady"/> (so proposals made together share Append messages).
    /// </summary>
    /// <param name="data">The command; owned by the log from now on, the caller must not change it.</param>
    /// <param name="index">The index the command got; it is committed if an entry with this index and the current term is applied.</param>
    /// <param name="kind">Command for the state machine, or Load for a benchmark payload it never sees.</param>
    public bool Propose(ReadOnlyMemory<byte> data, out ulong index, EntryKind kind = EntryKind.Command)
    {
        EnsureNoReadyOutstanding();
        if (Role != RaftRole.Leader || LeadTransferee != 0)
        {
            index = 0;
            return false;
        }

        index = _log.LastIndex + 1;
        _log.Append(new LogEntry(index, Term, kind, data));
        _appendPending = true;
        return true;
    }

    /// <summary>
    /// Storage made everything up to (<paramref name="index"/>, <paramref name="term"/>) durable: the last
    /// entry of a written batch, or a received snapshot. Stale acknowledgements (the entry was since
    /// overwritten) are ignored.
    /// </summary>
    public void Persisted(ulong index, ulong term)
    {
        EnsureNoReadyOutstanding();
        if (index <= _persisted || index >= _unstableFrom || !_log.Matches(index, term))
        {
            return;
        }

        _persisted = index;
        if (Role == RaftRole.Leader)
        {
            if (MaybeCommit())
            {
                BroadcastAppend(allowEmpty: false);
            }
        }
        else
        {
            MaybeSendAck(force: false);
        }
    }

    /// <summary>The state machine applied everything up to <paramref name="index"/>.</summary>
    public void Applied(ulong index)
    {
        if (index > _applied)
        {
            _applied = Math.Min(index, _appliedTo);
        }
    }

    /// <summary>
    /// The application took a snapshot of its state machine covering everything up to
    /// <paramref name="snapshot"/>.Index (applied here): the log before it is dropped and
    /// <paramref name="data"/> is kept to send to followers that fall behind it.
    /// </summary>
    public void CompactLog(SnapshotMetadata snapshot, ReadOnlyMemory<byte> data)
    {
        EnsureNoReadyOutstanding();
        if (snapshot.Index <= _log.Snapshot.Index)
        {
            return;
        }

        if (snapshot.Index > _applied || !_log.Matches(snapshot.Index, snapshot.Term))
        {
            throw new ArgumentException($"Raft cannot compact to ({snapshot.Index}, {snapshot.Term}): applied is {_applied} and the log has term {TermAt(snapshot.Index)} there.", nameof(snapshot));
        }

        _log.Compact(snapshot);
        _snapshotData = data;
    }

    /// <summary>Collects the pending work. Call <see cref="Advance"/> when it is handled, before any other call.</summary>
    public Ready GetReady()
    {
        EnsureNoReadyOutstanding();
        if (_appendPending)
        {
            _appendPending = false;
            if (Role == RaftRole.Leader)
            {
                BroadcastAppend(allowEmpty: true);
            }
        }

        var r = _ready;
        var hs = HardState;
        r.HasHardState = hs != _lastHardState;
        r.HardState = hs;
        r.MustSyncBeforeSend = hs.Term != _lastHardState.Term || hs.VotedFor != _lastHardState.VotedFor;
        r.TruncateFrom = _truncateFrom;
        _readyLastIndex = _log.LastIndex;
        r.Entries = _unstableFrom <= _readyLastIndex ? _log.Slice(_unstableFrom, _readyLastIndex) : default;
        r.Snapshot = _snapshotToInstall ? _log.Snapshot : null;
        r.SnapshotData = _snapshotToInstall ? _snapshotData : default;
        var applyTo = Math.Min(CommitIndex, _persisted);
        r.CommittedEntries = applyTo > _appliedTo ? _log.Slice(_appliedTo + 1, applyTo) : default;
        r.Messages = _messages;
        r.ReadStates = _readStates;
        _readyOutstanding = true;
        return r;
    }

    /// <summary>The last <see cref="Ready"/> is handled: its memory may now be reused.</summary>
    public void Advance()
    {
        if (!_readyOutstanding)
        {
            throw new InvalidOperationException("Raft Advance called without an outstanding Ready.");
        }

        var r = _ready;
        _unstableFrom = _readyLastIndex + 1;
        _truncateFrom = 0;
        _lastHardState = r.HardState;
        if (!r.CommittedEntries.IsEmpty)
        {
            _appliedTo = r.CommittedEntries.Span[^1].Index;
        }

        _snapshotToInstall = false;
        _messages.Clear();
        _readStates.Clear();
        r.Entries = default;
        r.CommittedEntries = default;
        r.SnapshotData = default;
        _readyOutstanding = false;
    }

    private bool InLease => _config.CheckQuorum && LeaderId != 0 && _electionElapsed < _config.ElectionTicks;

    private int PeerIndex(ulong id)
    {
        for (var i = 0; i < _peers.Length; i++)
        {
            if (_peers[i].Id == id)
            {
                return i;
            }
        }

        return -1;
    }

    private void Send(RaftMessage m) =>
        _messages.Add(m with { From = Id, Term = m.Term == 0 ? Term : m.Term });

    private void EnsureNoReadyOutstanding()
    {
        if (_readyOutstanding)
        {
            ThrowReadyOutstanding();
        }
    }

    private static void ThrowReadyOutstanding() =>
        throw new InvalidOperationException("Raft Ready is outstanding: call Advance before anything else.");

    private void ResetElectionTimer()
    {
        _electionElapsed = 0;
        _heartbeatElapsed = 0;
        _randomizedElectionTimeout = _config.ElectionTicks + _config.Random.Next(_config.ElectionTicks);
    }
}
