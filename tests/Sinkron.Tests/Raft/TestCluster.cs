using Sinkron.Nodes.Raft;

namespace Sinkron.Tests.Raft;

/// <summary>
/// In-process nodes for unit tests: messages queue in <see cref="Pending"/> until delivered, storage
/// is in memory and made durable on demand (<see cref="AutoPersist"/> persists at once).
/// </summary>
internal sealed class TestCluster
{
    public TestCluster(int size, RaftBootState[]? boots = null, int electionTicks = 10, bool preVote = true, bool checkQuorum = true, int maxEntries = 64, int chunk = 1024)
    {
        Nodes = new RaftNode[size + 1];
        Stored = new List<LogEntry>[size + 1];
        Applied = new List<LogEntry>[size + 1];
        Installed = new SnapshotMetadata?[size + 1];
        ReadStates = new List<ReadState>[size + 1];
        var voters = new ulong[size];
        for (var i = 0; i < size; i++)
        {
            voters[i] = (ulong)(i + 1);
        }

        for (var i = 1; i <= size; i++)
        {
            Stored[i] = [];
            Applied[i] = [];
            ReadStates[i] = [];
            Nodes[i] = new RaftNode(
                new RaftConfig
                {
                    Id = (ulong)i,
                    Voters = voters,
                    Random = new Random(i),
                    ElectionTicks = electionTicks,
                    HeartbeatTicks = 1,
                    PreVote = preVote,
                    CheckQuorum = checkQuorum,
                    MaxEntriesPerAppend = maxEntries,
                    MaxSnapshotChunk = chunk,
                },
                boots?[i - 1] ?? RaftBootState.Empty);
        }
    }

    public RaftNode[] Nodes { get; }

    public List<LogEntry>[] Stored { get; }

    public List<LogEntry>[] Applied { get; }

    public SnapshotMetadata?[] Installed { get; }

    public List<ReadState>[] ReadStates { get; }

    public List<RaftMessage> Pending { get; } = [];

    /// <summary>Every message any node sent, in order.</summary>
    public List<RaftMessage> Sent { get; } = [];

    public bool AutoPersist { get; set; } = true;

    /// <summary>Links that drop messages, as (from, to).</summary>
    public HashSet<(ulong, ulong)> Cut { get; } = [];

    public RaftNode this[int id] => Nodes[id];

    public void Isolate(int id)
    {
        for (var i = 1; i < Nodes.Length; i++)
        {
            Cut.Add(((ulong)id, (ulong)i));
            Cut.Add(((ulong)i, (ulong)id));
        }
    }

    /// <summary>Drains every node's Ready, queueing messages.</summary>
    public void Drain()
    {
        for (var i = 1; i < Nodes.Length; i++)
        {
            Drain(i);
        }
    }

    public void Drain(int id)
    {
        var node = Nodes[id];
        while (node.HasReady)
        {
            var rd = node.GetReady();
            if (rd.Snapshot is { } snap)
            {
                Installed[id] = snap;
                Stored[id].Clear();
            }

            if (rd.TruncateFrom != 0)
            {
                Stored[id].RemoveAll(e => e.Index >= rd.TruncateFrom);
            }

            Stored[id].AddRange(rd.Entries.ToArray());
            foreach (var m in rd.Messages)
            {
                // Copy entries off the node's log: they are only valid until Advance.
                var copy = m with { Entries = m.Entries.ToArray(), Data = m.Data.ToArray() };
                Pending.Add(copy);
                Sent.Add(copy);
            }

            Applied[id].AddRange(rd.CommittedEntries.ToArray());
            ReadStates[id].AddRange(rd.ReadStates);
            var last = rd.Entries.IsEmpty ? default(LogEntry?) : rd.Entries.Span[^1];
            var persistSnapshot = rd.Snapshot;
            node.Advance();
            if (Applied[id].Count > 0)
            {
                node.Applied(Applied[id][^1].Index);
            }

            if (AutoPersist)
            {
                if (persistSnapshot is { } s)
                {
                    node.Persisted(s.Index, s.Term);
                }

                if (last is { } l)
                {
                    node.Persisted(l.Index, l.Term);
                }
            }
        }
    }

    /// <summary>Delivers queued messages (and the ones they cause) until none are left.</summary>
    public void Deliver(int maxRounds = 100)
    {
        Drain();
        for (var round = 0; round < maxRounds && Pending.Count > 0; round++)
        {
            var batch = Pending.ToArray();
            Pending.Clear();
            foreach (var m in batch)
            {
                if (!Cut.Contains((m.From, m.To)))
                {
                    Nodes[m.To].Step(in m);
                }
            }

            Drain();
        }
    }

    public void TickAll(int ticks)
    {
        for (var t = 0; t < ticks; t++)
        {
            for (var i = 1; i < Nodes.Length; i++)
            {
                Nodes[i].Tick();
            }

            Deliver();
        }
    }

    /// <summary>One heartbeat from <paramref name="leader"/>: how followers learn a commit index no append carried.</summary>
    public void Heartbeat(int leader)
    {
        Nodes[leader].Tick();
        Deliver();
    }

    public void Elect(int id)
    {
        Nodes[id].Campaign();
        Deliver();
        Assert.Equal(RaftRole.Leader, Nodes[id].Role);
    }

    public ulong Propose(int id, byte value)
    {
        Assert.True(Nodes[id].Propose(new byte[] { value }, out var index));
        Deliver();
        return index;
    }
}
