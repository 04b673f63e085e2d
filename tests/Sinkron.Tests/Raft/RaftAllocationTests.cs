using Sinkron.Nodes.Raft;

namespace Sinkron.Tests.Raft;

/// <summary>
/// The leader's append path must not allocate per entry once warm: Ready and its lists are reused,
/// log and messages hand out slices, and the proposal's bytes belong to the caller.
/// </summary>
public sealed class RaftAllocationTests
{
    private static readonly byte[] Payload = new byte[32];

    [Fact]
    public void Single_node_append_path_allocates_nothing_per_entry()
    {
        var node = new RaftNode(new RaftConfig { Id = 1, Voters = [1], Random = new Random(1) }, RaftBootState.Empty);
        node.Campaign();
        Cycle(node);
        Assert.Equal(RaftRole.Leader, node.Role);

        Run(node, 20_000);
        var before = GC.GetAllocatedBytesForCurrentThread();
        const int entries = 50_000;
        Run(node, entries);
        var perEntry = (double)(GC.GetAllocatedBytesForCurrentThread() - before) / entries;

        Assert.True(perEntry < 1, $"{perEntry:F2} bytes allocated per entry");
        Assert.Equal(node.LastIndex, node.CommitIndex);
    }

    [Fact]
    public void Three_node_append_path_allocates_nothing_per_entry()
    {
        var voters = new ulong[] { 1, 2, 3 };
        var nodes = new RaftNode[4];
        for (var i = 1; i <= 3; i++)
        {
            nodes[i] = new RaftNode(new RaftConfig { Id = (ulong)i, Voters = voters, Random = new Random(i) }, RaftBootState.Empty);
        }

        var inbox = new List<RaftMessage>(1024);
        nodes[1].Campaign();
        for (var round = 0; round < 20; round++)
        {
            Pump(nodes, inbox);
        }

        Assert.Equal(RaftRole.Leader, nodes[1].Role);
        RunCluster(nodes, inbox, 20_000);
        var before = GC.GetAllocatedBytesForCurrentThread();
        const int entries = 50_000;
        RunCluster(nodes, inbox, entries);
        var perEntry = (double)(GC.GetAllocatedBytesForCurrentThread() - before) / entries;

        Assert.True(perEntry < 1, $"{perEntry:F2} bytes allocated per entry");
        Assert.Equal(nodes[1].LastIndex, nodes[1].CommitIndex);
        Assert.Equal(nodes[1].LastIndex, nodes[3].LastIndex);
    }

    private static void Run(RaftNode node, int entries)
    {
        for (var i = 0; i < entries; i++)
        {
            node.Propose(Payload, out _);
            if (i % 16 == 15)
            {
                Cycle(node);
                Compact(node);
            }
        }

        Cycle(node);
    }

    private static void RunCluster(RaftNode[] nodes, List<RaftMessage> inbox, int entries)
    {
        for (var i = 0; i < entries; i++)
        {
            nodes[1].Propose(Payload, out _);
            if (i % 16 == 15)
            {
                for (var round = 0; round < 4; round++)
                {
                    Pump(nodes, inbox);
                }

                for (var n = 1; n <= 3; n++)
                {
                    Compact(nodes[n]);
                }
            }
        }

        for (var round = 0; round < 6; round++)
        {
            Pump(nodes, inbox);
        }
    }

    /// <summary>One Ready per node, persisting at once; messages are delivered before anyone's log changes again.</summary>
    private static void Pump(RaftNode[] nodes, List<RaftMessage> inbox)
    {
        for (var n = 1; n < nodes.Length; n++)
        {
            Cycle(nodes[n], inbox);
        }

        foreach (var m in inbox)
        {
            nodes[m.To].Step(in m);
        }

        inbox.Clear();
    }

    private static void Cycle(RaftNode node, List<RaftMessage>? outbox = null)
    {
        while (node.HasReady)
        {
            var rd = node.GetReady();
            var hasEntries = !rd.Entries.IsEmpty;
            var last = hasEntries ? rd.Entries.Span[^1] : default;
            if (outbox is not null)
            {
                for (var i = 0; i < rd.Messages.Count; i++)
                {
                    outbox.Add(rd.Messages[i]);
                }
            }

            var applied = rd.CommittedEntries.IsEmpty ? 0 : rd.CommittedEntries.Span[^1].Index;
            node.Advance();
            if (applied != 0)
            {
                node.Applied(applied);
            }

            if (hasEntries)
            {
                node.Persisted(last.Index, last.Term);
            }
        }
    }

    private static void Compact(RaftNode node)
    {
        if (node.AppliedIndex >= node.Snapshot.Index + 256)
        {
            node.CompactLog(new SnapshotMetadata(node.AppliedIndex, node.TermAt(node.AppliedIndex)), default);
        }
    }
}
