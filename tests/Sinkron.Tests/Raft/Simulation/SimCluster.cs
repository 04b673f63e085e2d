using System.Buffers;
using System.Buffers.Binary;
using Sinkron.Nodes.Raft;

namespace Sinkron.Tests.Raft.Simulation;

/// <summary>
/// A seeded, single-threaded world of Raft nodes: a clock, an event queue, a lossy network and
/// simulated disks. Everything random comes from one seed, so a run replays exactly.
/// Messages travel encoded with <see cref="RaftMessageCodec"/>, which also copies them off the
/// sender's reused buffers.
/// </summary>
internal sealed partial class SimCluster
{
    private const int TickMs = 10;
    private const int ElectionTicks = 10;

    // A run that needs more events than this, or a Ready that never drains, is a message storm or a livelock.
    private const long MaxEvents = 3_000_000;
    private const int MaxReadyPerDrain = 10_000;

    private readonly SimScenario _scenario;
    private readonly Random _rng;
    private readonly SimNode[] _nodes;
    private readonly bool[,] _blocked;
    private readonly PriorityQueue<SimEvent, (long, long)> _events = new();
    private readonly ArrayBufferWriter<byte> _encoder = new();
    private readonly List<string>? _trace;
    private long _seq;
    private long _eventCount;
    private ulong _nextCommand = 1;
    private bool _healed;

    public SimCluster(SimScenario scenario, int seed, bool trace)
    {
        _scenario = scenario;
        Seed = seed;
        _rng = new Random(seed);
        _trace = trace ? [] : null;
        _nodes = new SimNode[scenario.Nodes];
        _blocked = new bool[scenario.Nodes + 1, scenario.Nodes + 1];
        for (var i = 0; i < _nodes.Length; i++)
        {
            _nodes[i] = new SimNode((ulong)(i + 1));
            Start(_nodes[i]);
        }
    }

    public int Seed { get; }

    public long Now { get; private set; }

    public IReadOnlyList<string> Trace => _trace ?? [];

    /// <summary>What the run exercised, so a green run can be told from an idle one.</summary>
    public SimStats Stats { get; } = new();

    /// <summary>Chaos, then heal everything and require progress within the deadline.</summary>
    public void Run()
    {
        Schedule(0, new SimEvent(SimEventKind.Chaos, 0, 0, null));
        RunUntil(_scenario.ChaosMs);

        Heal();
        var healedAt = Now;
        var firstMarker = _nextCommand;
        long lastProposal = -1_000_000;
        while (Now < healedAt + _scenario.LivenessDeadlineMs)
        {
            if (MinMarker() >= firstMarker)
            {
                return;
            }

            if (Now - lastProposal >= 300 && ProposeOnLeader(SimStateMachine.MarkerBit | _nextCommand))
            {
                _nextCommand++;
                lastProposal = Now;
            }

            RunUntil(Now + 20);
        }

        Fail($"liveness: no proposal made after healing at {healedAt} ms was applied on every node by {Now} ms; {Describe()}");
    }

    private void RunUntil(long until)
    {
        while (_events.TryPeek(out _, out var key) && key.Item1 <= until)
        {
            var ev = _events.Dequeue();
            Now = key.Item1;
            if (++_eventCount > MaxEvents)
            {
                Fail($"more than {MaxEvents} events: a message storm; {Describe()}");
            }

            Handle(ev);
            CheckInvariants();
        }

        Now = until;
    }

    private void Handle(SimEvent ev)
    {
        switch (ev.Kind)
        {
            case SimEventKind.Tick:
                {
                    var node = _nodes[ev.Node - 1];
                    if (node.Alive && node.Incarnation == ev.Incarnation)
                    {
                        node.Raft!.Tick();
                        Drain(node);
                        Schedule(TickMs, ev);
                    }

                    break;
                }

            case SimEventKind.Deliver:
                Deliver(ev);
                break;
            case SimEventKind.Fsync:
                {
                    var node = _nodes[ev.Node - 1];
                    if (node.Alive && node.Incarnation == ev.Incarnation && node.Disk.FsyncScheduled)
                    {
                        node.Disk.Fsync();
                        node.Raft!.Persisted(node.Disk.LastIndex, node.Disk.LastTerm);
                        Drain(node);
                    }

                    break;
                }

            case SimEventKind.Chaos:
                if (!_healed)
                {
                    Chaos();
                    Schedule(TickMs, ev);
                }

                break;
        }
    }

    private void Start(SimNode node)
    {
        node.Disk.FsyncScheduled = false;
        node.Raft = new RaftNode(
            new RaftConfig
            {
                Id = node.Id,
                Voters = Voters(),
                Random = new Random(_rng.Next()),
                ElectionTicks = ElectionTicks,
                HeartbeatTicks = 2,
                MaxEntriesPerAppend = _scenario.MaxEntriesPerAppend,
                MaxInflightAppends = _scenario.MaxInflightAppends,
                MaxSnapshotChunk = _scenario.MaxSnapshotChunk,
            },
            node.Disk.Boot());
        node.State = SimStateMachine.Deserialize(node.Disk.SnapshotData);
        node.LastCommit = node.Raft.CommitIndex;
        Stats.Starts++;
        node.LastRole = RaftRole.Follower;
        node.LastTerm = node.Raft.Term;
        Schedule(1 + _rng.Next(TickMs), new SimEvent(SimEventKind.Tick, node.Id, node.Incarnation, null));
        Log(node, "start");
    }

    private void Crash(SimNode node)
    {
        Log(node, "crash");
        node.Raft = null;
        node.Incarnation++;
        node.Disk.Crash();
    }

    private ulong[] Voters()
    {
        var voters = new ulong[_nodes.Length];
        for (var i = 0; i < voters.Length; i++)
        {
            voters[i] = (ulong)(i + 1);
        }

        return voters;
    }

    /// <summary>Hands every Ready to disk, network and state machine, the way the node wiring must.</summary>
    private void Drain(SimNode node)
    {
        var raft = node.Raft!;
        for (var rounds = 0; raft.HasReady; rounds++)
        {
            if (rounds == MaxReadyPerDrain)
            {
                Fail($"n{node.Id} still has a Ready after {rounds} rounds; {Describe()}");
            }

            var rd = raft.GetReady();
            CheckNewEntries(node, rd);
            node.Disk.Queue(rd);
            var synced = false;
            if (rd.MustSyncBeforeSend)
            {
                node.Disk.Fsync();
                synced = true;
            }
            else if (node.Disk.HasPending && !node.Disk.FsyncScheduled)
            {
                node.Disk.FsyncScheduled = true;
                Schedule(1 + _rng.Next(_scenario.MaxFsyncMs), new SimEvent(SimEventKind.Fsync, node.Id, node.Incarnation, null));
            }

            foreach (var m in rd.Messages)
            {
                Send(m);
            }

            if (rd.Snapshot is { } snap)
            {
                node.State = SimStateMachine.Deserialize(rd.SnapshotData.Span);
                CheckRestored(node, snap);
                Stats.SnapshotsInstalled++;
            }

            foreach (ref readonly var e in rd.CommittedEntries.Span)
            {
                if (e.Index != node.State.Index + 1)
                {
                    Fail($"n{node.Id} asked to apply {e.Index} after {node.State.Index}");
                }

                node.State.Apply(in e);
                CheckApplied(node, in e);
                Stats.Applied++;
            }

            foreach (var rs in rd.ReadStates)
            {
                CheckRead(node, rs);
                Stats.ReadsServed++;
            }

            raft.Advance();
            raft.Applied(node.State.Index);
            if (synced)
            {
                raft.Persisted(node.Disk.LastIndex, node.Disk.LastTerm);
            }

            MaybeCompact(node);
        }
    }

    private void MaybeCompact(SimNode node)
    {
        var raft = node.Raft!;
        if (_scenario.CompactEvery == 0 || node.State.Index < raft.Snapshot.Index + (ulong)_scenario.CompactEvery)
        {
            return;
        }

        var meta = new SnapshotMetadata(node.State.Index, raft.TermAt(node.State.Index));
        var data = node.State.Serialize();
        node.Disk.SaveSnapshot(meta, data);
        raft.CompactLog(meta, data);
        Log(node, $"compact to {meta.Index}");
    }

    private void Send(in RaftMessage m)
    {
        if (IsCut(m.From, m.To) || _rng.NextDouble() < CurrentLoss)
        {
            return;
        }

        _encoder.ResetWrittenCount();
        RaftMessageCodec.Write(_encoder, in m);
        var bytes = _encoder.WrittenSpan.ToArray();
        var copies = _rng.NextDouble() < _scenario.Duplicate ? 2 : 1;
        for (var i = 0; i < copies; i++)
        {
            var delay = _rng.Next(_scenario.MinDelayMs, _scenario.MaxDelayMs + 1);
            if (_rng.NextDouble() < _scenario.SpikeDelay)
            {
                delay += _rng.Next(50, 200);
            }

            Schedule(delay, new SimEvent(SimEventKind.Deliver, m.To, 0, bytes));
        }
    }

    private double CurrentLoss => _healed ? 0 : _scenario.Loss;

    private void Deliver(SimEvent ev)
    {
        var node = _nodes[ev.Node - 1];
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(ev.Payload!));
        if (!RaftMessageCodec.TryRead(ref reader, out var m) || !reader.End)
        {
            Fail("codec: a message the codec wrote did not read back");
        }

        if (!node.Alive || IsCut(m.From, m.To))
        {
            return;
        }

        if (_trace is not null)
        {
            Log(node, $"recv {m.Type} from {m.From} t{m.Term} i{m.Index} lt{m.LogTerm} c{m.Commit} n{m.Entries.Length} {m.Flags} hint{m.RejectHint} off{m.Offset} ctx{m.Context}");
        }

        node.Raft!.Step(in m);
        Drain(node);
    }

    private bool IsCut(ulong from, ulong to) => _blocked[from, to];

    private bool ProposeOnLeader(ulong command)
    {
        foreach (var node in _nodes)
        {
            if (node.Raft is { Role: RaftRole.Leader } raft)
            {
                var data = new byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(data, command);
                if (raft.Propose(data, out var index))
                {
                    Log(node, $"propose {command:x} at {index}");
                    Drain(node);
                    return true;
                }
            }
        }

        return false;
    }

    private void Schedule(long delay, SimEvent ev) => _events.Enqueue(ev, (Now + delay, _seq++));

    private void Log(SimNode node, string what) => _trace?.Add($"{Now,6} n{node.Id} [{node.Raft?.Role} t{node.Raft?.Term} c{node.Raft?.CommitIndex} l{node.Raft?.LastIndex}] {what}");

    private ulong MinMarker()
    {
        var min = ulong.MaxValue;
        foreach (var node in _nodes)
        {
            min = Math.Min(min, node.State.MaxMarker);
        }

        return min;
    }

    private string Describe()
    {
        var parts = new List<string>();
        foreach (var n in _nodes)
        {
            parts.Add(n.Raft is { } r
                ? $"n{n.Id}: {r.Role} term {r.Term} leader {r.LeaderId} commit {r.CommitIndex} last {r.LastIndex} persisted {r.PersistedIndex} applied {n.State.Index} marker {n.State.MaxMarker}"
                : $"n{n.Id}: down");
        }

        return string.Join("; ", parts);
    }

    private enum SimEventKind : byte
    {
        Tick,
        Deliver,
        Fsync,
        Chaos,
    }

    private readonly record struct SimEvent(SimEventKind Kind, ulong Node, int Incarnation, byte[]? Payload);
}
