using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Sinkron.Nodes.Raft.Storage;

namespace Sinkron.Nodes.Raft.Host;

/// <summary>
/// Runs a <see cref="RaftNode"/> loop. One thread at a time (<see cref="_gate"/>) runs a pass over
/// the core, the log's write side and the application: a connection's read loop running the
/// batch it just read (<see cref="RunPending"/>), or the dedicated Raft thread (ticks, and a
/// leader's fsync). A pass drains the queued inputs, ticks when due, handles every Ready (queue
/// WAL records, send, apply), flushes peers and answers, and then, on a follower, writes and
/// fsyncs the log and reports it durable to the core; a leader's Raft thread does that outside
/// the gate, after sending the appends the passes held for it. A burst of proposals becomes one WAL
/// batch, one fsync, one AppendEntries per peer and one flush per client connection, and the
/// followers write the batch while the leader's fsync of it runs.
/// </summary>
internal sealed partial class RaftHost : IDisposable
{
    private readonly ConcurrentQueue<RaftInput> _inputs = new();
    // No spinning before blocking: on a small machine the node's other threads need the core more.
    private readonly ManualResetEventSlim _wake = new(false, spinCount: 0);
    private readonly RaftNode _raft;
    private readonly DurableLog _log;
    private readonly IReadOnlyDictionary<ulong, RaftPeer> _peers;
    private readonly IRaftApplication _app;
    private readonly ILogger _logger;
    private readonly int _snapshotEvery;
    private readonly Thread _thread;
    private readonly RaftLoad? _load;

    /// <summary>Held by whichever thread runs the loop: the Raft thread, or a read loop in <see cref="RunPending"/>.</summary>
    private readonly Lock _gate = new();
    private readonly long _tickTicks;
    private long _nextTick;
    private volatile bool _stopping;
    private volatile bool _leaderSyncWanted;

    /// <summary>When the leader's fsync under way started (Stopwatch ticks); 0 when none is.</summary>
    private long _leaderSyncStarted;

    /// <summary>Appends wait for the leader's fsync only while it is younger than this (see <see cref="HoldAppends"/>).</summary>
    private static readonly long HoldLimitTicks = Stopwatch.Frequency / 500;
    private int _sleeping;
    private RaftRole _lastRole;
    private ulong _lastLeader;

    public RaftHost(RaftNode raft, DurableLog log, IReadOnlyDictionary<ulong, RaftPeer> peers, IRaftApplication app, TimeSpan tick, int snapshotEvery, ILogger logger, RaftLoad? load = null)
    {
        _load = load;
        _raft = raft;
        _log = log;
        _peers = peers;
        _peerList = [.. peers.Values];
        _app = app;
        _snapshotEvery = snapshotEvery;
        _logger = logger;
        _tickTicks = (long)(tick.TotalSeconds * Stopwatch.Frequency);
        _nextTick = Stopwatch.GetTimestamp();
        _thread = new Thread(Loop) { IsBackground = true, Name = "raft" };
    }

    /// <summary>Where this leader's commits wait (medians read by STATUS).</summary>
    public CommitPath CommitPath { get; } = new();

    /// <summary>Role, term, leader, commit and applied index as of the last loop iteration (any thread may read).</summary>
    public RaftStatus Status { get; private set; }

    public void Start() => _thread.Start();

    /// <summary>
    /// Queues an input for the loop: a connection's read loop queues its batch of frames, then
    /// calls <see cref="RunPending"/>.
    /// </summary>
    public void Enqueue(in RaftInput input) => _inputs.Enqueue(input);

    /// <summary>
    /// Runs the loop on this thread for what is queued, unless another thread is running it (that
    /// one looks at the queue again after it finishes). A read loop that runs the batch it just
    /// read saves a hand-off to the Raft thread — one sleep and wake-up per batch — on the commit
    /// path: a follower writes, fsyncs and acknowledges on it; a leader proposes, or commits and
    /// answers on acknowledgements, and leaves its own fsync (and the appends, which leave when it
    /// starts) to the Raft thread, so its socket thread never waits for the disk.
    /// </summary>
    public void RunPending() => RunPasses(evenWithoutInputs: false);

    /// <summary>
    /// Runs passes while inputs are queued (and one regardless when <paramref name="evenWithoutInputs"/>),
    /// unless another thread holds <see cref="_gate"/>: that one looks at the queue again after it
    /// finishes. Returns whether this thread ran a pass.
    /// </summary>
    private bool RunPasses(bool evenWithoutInputs)
    {
        var ran = false;
        while (!_stopping && (evenWithoutInputs || !_inputs.IsEmpty) && _gate.TryEnter())
        {
            evenWithoutInputs = false;
            ran = true;
            try
            {
                if (!_stopping)
                {
                    Iteration();
                }
            }
            finally
            {
                _gate.Exit();
            }
        }

        if (_leaderSyncWanted)
        {
            WakeThread();
        }

        return ran;
    }

    private void WakeThread()
    {
        if (Interlocked.Exchange(ref _sleeping, 0) == 1)
        {
            _wake.Set();
        }
    }

    /// <summary>
    /// Ticks and the leader's fsync. This thread never waits for <see cref="_gate"/>: whoever holds it
    /// runs passes until the queue is empty, ticking when due, and wakes this thread when the leader's
    /// log wants a sync. Waiting for the gate spun in <c>sched_yield</c>, which on a busy two-core
    /// machine put the leader's Raft thread off the core for up to 6 ms while its next fsync waited.
    /// </summary>
    private void Loop()
    {
        while (!_stopping)
        {
            var ran = RunPasses(evenWithoutInputs: true);
            if (_leaderSyncWanted)
            {
                SyncForLeader();
                continue;
            }

            Sleep(gateWasBusy: !ran);
        }
    }

    /// <summary>
    /// The leader's fsync, outside <see cref="_gate"/>. The appends that passes held for it leave
    /// first, so the followers write the same entries meanwhile; read loops go on proposing and
    /// committing entries that two followers hold. The result is reported to the core as an input,
    /// on the next pass.
    /// </summary>
    private void SyncForLeader()
    {
        _leaderSyncWanted = false;
        foreach (var peer in _peerList)
        {
            if (!peer.Trailing)
            {
                peer.FlushFromAnyThread();
            }
        }

        Volatile.Write(ref _leaderSyncStarted, Stopwatch.GetTimestamp());
        try
        {
            if (_log.Sync() is { } durable)
            {
                _inputs.Enqueue(RaftInput.Durable(durable.Index, durable.Term));
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            RaftHostLog.Fatal(_logger, ex);
            Environment.FailFast("raft log sync failed: " + ex.Message, ex);
        }
        finally
        {
            Volatile.Write(ref _leaderSyncStarted, 0);
        }
    }

    /// <summary>
    /// Whether this pass's peer messages wait for the leader's next fsync: while it has entries to sync
    /// and its fsync under way (if any) is younger than 2 ms. A disk that stalls for longer does not
    /// hold the followers back: they go on committing without the leader's disk, and the heartbeats
    /// keep them from starting an election.
    /// </summary>
    private bool HoldAppends()
    {
        if (_raft.Role != RaftRole.Leader || !_log.NeedsSync)
        {
            return false;
        }

        var started = Volatile.Read(ref _leaderSyncStarted);
        return started == 0 || Stopwatch.GetTimestamp() - started < HoldLimitTicks;
    }

    /// <summary>One pass: drain inputs, tick when due, handle every Ready, sync the log, flush. Holds <see cref="_gate"/>.</summary>
    private void Iteration()
    {
        try
        {
            Drain();
            if (Stopwatch.GetTimestamp() >= _nextTick)
            {
                _raft.Tick();
                _nextTick += _tickTicks;
                if (Stopwatch.GetTimestamp() > _nextTick)
                {
                    _nextTick = Stopwatch.GetTimestamp() + _tickTicks;
                }

                _app.OnTick(_raft);
            }

            _load?.Pump(_raft);
            ChooseTrailing();
            bool holdAppends;
            do
            {
                while (_raft.HasReady)
                {
                    HandleReady(_raft.GetReady());
                }

                if (_raft.Role == RaftRole.Leader)
                {
                    CommitPath.Committed(_raft.CommitIndex, Stopwatch.GetTimestamp());
                }

                MaybeSnapshot();

                // While a leader has entries waiting for its own fsync, its peer messages (their appends,
                // and anything sent beside them) leave when that fsync starts (SyncForLeader): each
                // follower gets one append, and fsyncs once, per leader fsync rather than per client
                // batch (~15 % less CPU per operation on the 3-node lock load), beside the leader's
                // fsync. Otherwise (a follower's acknowledgements, votes, an idle leader's heartbeats,
                // or a leader whose fsync is overdue) they leave now, before this node's own fsync.
                holdAppends = HoldAppends();
                if (!holdAppends)
                {
                    FlushPeers();
                }

                _app.OnBatchEnd();
            }
            while (SyncLog());

            ApplyDeferred();

            // Read by the Raft thread after this pass, or by the read loop that ran it.
            _leaderSyncWanted = _raft.Role == RaftRole.Leader && _log.NeedsSync;
            if (holdAppends && !_leaderSyncWanted)
            {
                // The Raft thread's fsync took these entries after it had flushed: send them now.
                FlushPeers();
            }

            PublishStatus();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A failed log write leaves the node unable to keep its promises: stop serving rather than lie.
            RaftHostLog.Fatal(_logger, ex);
            Environment.FailFast("raft loop failed: " + ex.Message, ex);
        }
    }

    /// <summary>
    /// Sleeps until the next tick, or until a pass wants the leader's log synced. When the gate was busy
    /// its holder ticks if it runs past the tick, so a tick already due waits a millisecond rather than
    /// spin on the gate.
    /// </summary>
    private void Sleep(bool gateWasBusy)
    {
        // Reset before announcing sleep: a wake-up after the announcement sets the event again, and
        // one before it left its wish behind, which is checked next.
        _wake.Reset();
        Interlocked.Exchange(ref _sleeping, 1);
        if (_leaderSyncWanted)
        {
            Volatile.Write(ref _sleeping, 0);
            return;
        }

        // Rounded up: a wait truncated to 0 ms would spin through the rest of the tick.
        var wait = (int)Math.Ceiling(Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), Volatile.Read(ref _nextTick)).TotalMilliseconds);
        if (gateWasBusy)
        {
            wait = Math.Max(wait, 1);
        }

        if (wait > 0)
        {
            _wake.Wait(wait);
        }

        Volatile.Write(ref _sleeping, 0);
    }

    private void Drain()
    {
        while (_inputs.TryDequeue(out var input))
        {
            switch (input.Kind)
            {
                case RaftInputKind.Message:
                    NoteAcknowledgement(input.Message);
                    _raft.Step(input.Message);
                    break;
                case RaftInputKind.Persisted:
                    if (_raft.Role == RaftRole.Leader)
                    {
                        CommitPath.Durable(input.Index, Stopwatch.GetTimestamp());
                    }

                    _raft.Persisted(input.Index, input.Term);
                    break;
                case RaftInputKind.Work:
                    input.Work!(_raft);
                    break;
            }
        }
    }

    private void NoteAcknowledgement(in RaftMessage message)
    {
        if (message.Type == RaftMessageType.AppendResponse && !message.Reject && message.Term == _raft.Term && _raft.Role == RaftRole.Leader)
        {
            var now = Stopwatch.GetTimestamp();
            CommitPath.Acknowledged(message.Index, now);
            NoteAcknowledgedBy(message.From, now);
        }
    }

    private void PublishStatus()
    {
        Status = new RaftStatus(_raft.Id, _raft.Role, _raft.Term, _raft.LeaderId, _raft.CommitIndex, _raft.AppliedIndex, _raft.LastIndex);
        if (_raft.Role != _lastRole || _raft.LeaderId != _lastLeader)
        {
            _lastRole = _raft.Role;
            _lastLeader = _raft.LeaderId;
            CommitPath.Reset();
            RaftHostLog.RoleChanged(_logger, _raft.Role, _raft.Term, _raft.LeaderId);
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _wake.Set();
        _thread.Join(TimeSpan.FromSeconds(5));
        lock (_gate)
        {
            // A read loop in the middle of an iteration finishes it before the log can be closed.
        }

        _wake.Dispose();
    }
}

/// <summary>A consistent picture of the Raft state for STATUS and routing.</summary>
internal readonly record struct RaftStatus(ulong Id, RaftRole Role, ulong Term, ulong LeaderId, ulong Commit, ulong Applied, ulong LastIndex);
