using Sinkron.Nodes.Raft;

namespace Sinkron.Tests.Raft;

public sealed class RaftNodeTests
{
    [Fact]
    public void Election_elects_one_leader_and_commits_its_noop()
    {
        var c = new TestCluster(3);
        c.TickAll(40);

        var leaders = 0;
        for (var i = 1; i <= 3; i++)
        {
            leaders += c[i].Role == RaftRole.Leader ? 1 : 0;
        }

        Assert.Equal(1, leaders);
        var leader = c[1].LeaderId;
        for (var i = 1; i <= 3; i++)
        {
            Assert.Equal(leader, c[i].LeaderId);
            Assert.Equal(1UL, c[i].CommitIndex);
            Assert.Equal(EntryKind.Noop, Assert.Single(c.Applied[i]).Kind);
        }
    }

    [Fact]
    public void PreVote_from_a_cut_off_node_does_not_disrupt_a_healthy_leader()
    {
        var c = new TestCluster(3);
        c.Elect(1);
        var term = c[1].Term;

        c.Isolate(3);
        c.TickAll(50);
        Assert.Equal(term, c[3].Term); // pre-vote kept it from raising its term while alone
        Assert.Equal(RaftRole.PreCandidate, c[3].Role);

        c.Cut.Clear();
        c[3].Campaign(); // rejoins and campaigns at once: the others are in their leader lease
        c.Deliver();
        Assert.Equal(RaftRole.Leader, c[1].Role);
        Assert.Equal(term, c[1].Term);
        c.TickAll(3);
        Assert.Equal(1UL, c[3].LeaderId);
        Assert.Equal(term, c[3].Term);
    }

    [Fact]
    public void CheckQuorum_leader_steps_down_without_a_majority()
    {
        var c = new TestCluster(3);
        c.Elect(1);
        c.Isolate(1);
        for (var t = 0; t < 25 && c[1].Role == RaftRole.Leader; t++)
        {
            c[1].Tick();
            c.Deliver();
        }

        Assert.Equal(RaftRole.Follower, c[1].Role);
        Assert.Equal(0UL, c[1].LeaderId);
        Assert.False(c[1].Propose(new byte[] { 1 }, out _));
    }

    [Fact]
    public void Fast_backtracking_skips_a_conflicting_term_in_one_round()
    {
        // Leader-to-be: 1..3 at term 1, 4..10 at term 3. Stale follower: 1..3 at term 1, 4..40 at term 2.
        var leaderLog = Log((1, 3, 1), (4, 10, 3));
        var staleLog = Log((1, 3, 1), (4, 40, 2));
        var boots = new[]
        {
            Boot(3, leaderLog),
            Boot(2, staleLog),
            Boot(3, leaderLog),
        };
        var c = new TestCluster(3, boots);
        c[1].Campaign();
        c.Drain();

        var rejections = 0;
        for (var round = 0; round < 10 && c.Pending.Count > 0; round++)
        {
            var batch = c.Pending.ToArray();
            c.Pending.Clear();
            foreach (var m in batch)
            {
                rejections += m.Type == RaftMessageType.AppendResponse && m.Reject && m.From == 2 ? 1 : 0;
                c[(int)m.To].Step(in m);
            }

            c.Drain();
        }

        c.Deliver();
        Assert.Equal(RaftRole.Leader, c[1].Role);
        Assert.Equal(1, rejections);
        Assert.Equal(c[1].LastIndex, c[2].LastIndex);
        Assert.Equal(c[1].CommitIndex, c[2].CommitIndex);
        Assert.Equal(c[1].TermAt(5), c[2].TermAt(5));
    }

    [Fact]
    public void Rejection_hint_is_the_follower_last_index_when_its_log_is_short()
    {
        var boots = new[] { Boot(2, Log((1, 20, 2))), Boot(2, Log((1, 2, 2)), commit: 2), Boot(2, Log((1, 20, 2))) };
        var c = new TestCluster(3, boots);
        c.Elect(1);
        var rejection = Assert.Single(c.Sent, m => m.Type == RaftMessageType.AppendResponse && m.Reject);
        Assert.Equal((2UL, 0UL), (rejection.RejectHint, rejection.LogTerm));
        Assert.Equal(c[1].LastIndex, c[2].LastIndex);
        c.Heartbeat(1);
        Assert.Equal(c[1].CommitIndex, c[2].CommitIndex);
    }

    [Fact]
    public void A_new_commit_index_alone_sends_no_append_followers_learn_it_from_the_next_heartbeat()
    {
        var c = new TestCluster(3);
        c.Elect(1);
        c.Sent.Clear();

        var index = c.Propose(1, 7);

        Assert.Equal(index, c[1].CommitIndex);
        Assert.DoesNotContain(c.Sent, m => m.Type == RaftMessageType.Append && m.Entries.IsEmpty);
        Assert.True(c[2].CommitIndex < index, $"follower commit {c[2].CommitIndex}");
        c.Heartbeat(1);
        Assert.Equal(index, c[2].CommitIndex);
        Assert.Equal(index, c[3].CommitIndex);
    }

    [Fact]
    public void Commit_counts_persisted_indexes_only()
    {
        var c = new TestCluster(3);
        c.Elect(1);
        c.AutoPersist = false;

        Assert.True(c[1].Propose(new byte[] { 7 }, out var index));
        c.Deliver();

        // Appended everywhere but durable nowhere: no acknowledgement, no commit.
        Assert.Equal(index, c[2].LastIndex);
        Assert.Equal(index - 1, c[1].CommitIndex);

        // The leader's own fsync alone is not a majority.
        c[1].Persisted(index, c[1].Term);
        c.Deliver();
        Assert.Equal(index - 1, c[1].CommitIndex);

        // One follower durable: a majority with the leader.
        c[2].Persisted(index, c[2].Term);
        c.Deliver();
        Assert.Equal(index, c[1].CommitIndex);
    }

    [Fact]
    public void Leader_commits_on_followers_fsync_before_its_own()
    {
        var c = new TestCluster(3);
        c.Elect(1);
        c.AutoPersist = false;
        Assert.True(c[1].Propose(new byte[] { 7 }, out var index));
        c.Deliver();

        c[2].Persisted(index, c[2].Term);
        c[3].Persisted(index, c[3].Term);
        c.Deliver();
        Assert.Equal(index, c[1].CommitIndex);

        // Applying still waits for the leader's own fsync.
        Assert.DoesNotContain(c.Applied[1], e => e.Index == index);
        c[1].Persisted(index, c[1].Term);
        c.Drain();
        Assert.Contains(c.Applied[1], e => e.Index == index);
    }

    [Fact]
    public void Follower_acknowledges_only_after_persisting()
    {
        var c = new TestCluster(3);
        c.Elect(1);
        c.AutoPersist = false;
        Assert.True(c[1].Propose(new byte[] { 1 }, out var index));
        c.Drain();
        foreach (var m in c.Pending.ToArray())
        {
            c.Pending.Remove(m);
            c[(int)m.To].Step(in m);
        }

        c.Drain();
        Assert.DoesNotContain(c.Pending, m => m.Type == RaftMessageType.AppendResponse);
        c[2].Persisted(index, c[2].Term);
        c.Drain(2);
        Assert.Contains(c.Pending, m => m.Type == RaftMessageType.AppendResponse && m.From == 2 && m.Index == index && !m.Reject);
    }

    [Fact]
    public void Lagging_follower_installs_a_snapshot_sent_in_chunks()
    {
        var c = new TestCluster(3, chunk: 10);
        c.Elect(1);
        c.Isolate(3);
        for (byte v = 0; v < 20; v++)
        {
            c.Propose(1, v);
        }

        var applied = c[1].AppliedIndex;
        var snapshot = new SnapshotMetadata(applied, c[1].TermAt(applied));
        var data = new byte[95];
        Random.Shared.NextBytes(data);
        c[1].CompactLog(snapshot, data);
        c[2].CompactLog(new SnapshotMetadata(c[2].AppliedIndex, c[2].TermAt(c[2].AppliedIndex)), data);

        c.Cut.Clear();
        c.Sent.Clear();
        c[1].Tick();
        c.Deliver();

        var chunks = c.Sent.Count(m => m.Type == RaftMessageType.Snapshot && m.To == 3);
        Assert.True(snapshot == c.Installed[3], $"n3 installed {c.Installed[3]}; sent: {string.Join("\n", c.Sent)}");
        Assert.True(chunks >= 10, $"expected the 95 bytes in 10-byte chunks, saw {chunks} chunk messages");
        c.Heartbeat(1);
        Assert.Equal(c[1].CommitIndex, c[3].CommitIndex);
        c.Propose(1, 99);
        Assert.Equal(c[1].LastIndex, c[3].LastIndex);
        c.Heartbeat(1);
        Assert.Equal(c[1].CommitIndex, c[3].CommitIndex);
    }

    [Fact]
    public void Leadership_transfer_hands_over_with_TimeoutNow()
    {
        var c = new TestCluster(3);
        c.Elect(1);
        c.Propose(1, 1);
        var term = c[1].Term;

        c[1].TransferLeadership(2);
        c.Deliver();

        Assert.Equal(RaftRole.Leader, c[2].Role);
        Assert.Equal(term + 1, c[2].Term);
        Assert.Equal(RaftRole.Follower, c[1].Role);
        Assert.Equal(2UL, c[1].LeaderId);
    }

    [Fact]
    public void Leadership_transfer_waits_for_a_lagging_target_and_refuses_proposals()
    {
        var c = new TestCluster(3);
        c.Elect(1);
        c.Isolate(2);
        c.Propose(1, 1);
        c[1].TransferLeadership(2);
        c.Deliver();
        Assert.False(c[1].Propose(new byte[] { 2 }, out _));
        Assert.Equal(RaftRole.Leader, c[1].Role);

        c.Cut.Clear();
        c[1].Tick();
        c.Deliver();
        Assert.Equal(RaftRole.Leader, c[2].Role);
    }

    [Fact]
    public void ReadIndex_on_leader_and_follower_after_heartbeat_quorum()
    {
        var c = new TestCluster(3);
        c.Elect(1);
        c.Propose(1, 1);

        Assert.True(c[1].ReadIndex(42));
        c.Deliver();
        Assert.Contains(new ReadState(42, c[1].CommitIndex), c.ReadStates[1]);

        Assert.True(c[2].ReadIndex(7));
        c.Deliver();
        Assert.Contains(new ReadState(7, c[1].CommitIndex), c.ReadStates[2]);
    }

    [Fact]
    public void ReadIndex_waits_for_a_heartbeat_quorum()
    {
        var c = new TestCluster(3);
        c.Elect(1);
        c.Isolate(1);
        Assert.True(c[1].ReadIndex(5));
        c.Deliver();
        Assert.Empty(c.ReadStates[1]);

        c.Cut.Clear();
        c[1].Tick();
        c.Deliver();
        Assert.Single(c.ReadStates[1]);
    }

    [Fact]
    public void ReadIndex_waits_for_the_new_leader_to_commit_in_its_term()
    {
        var c = new TestCluster(3);
        c.Elect(1);
        c.AutoPersist = false;
        c[1].TransferLeadership(2);
        c.Deliver();
        Assert.Equal(RaftRole.Leader, c[2].Role);
        var noop = c[2].LastIndex;
        Assert.True(c[2].CommitIndex < noop);

        Assert.True(c[2].ReadIndex(9));
        c.Deliver();
        Assert.Empty(c.ReadStates[2]);

        c.AutoPersist = true;
        for (var i = 1; i <= 3; i++)
        {
            c[i].Persisted(noop, c[2].Term);
        }

        c.Deliver();
        Assert.Equal(new ReadState(9, noop), Assert.Single(c.ReadStates[2]));
    }

    [Fact]
    public void Restarted_node_recovers_from_boot_state()
    {
        var log = Log((1, 5, 2));
        var boot = new RaftBootState { HardState = new HardState(2, 1, 4), Entries = log };
        var node = new RaftNode(new RaftConfig { Id = 1, Voters = [1], Random = new Random(1) }, boot);
        Assert.Equal(2UL, node.Term);
        Assert.Equal(4UL, node.CommitIndex);
        Assert.Equal(5UL, node.LastIndex);
        var rd = node.GetReady();
        Assert.Equal(4, rd.CommittedEntries.Length);
        node.Advance();
    }

    [Fact]
    public void Boot_with_commit_beyond_the_log_is_refused()
    {
        var boot = new RaftBootState { HardState = new HardState(2, 1, 9), Entries = Log((1, 5, 2)) };
        Assert.Throws<ArgumentException>(() => new RaftNode(new RaftConfig { Id = 1, Voters = [1], Random = new Random(1) }, boot));
    }

    private static RaftBootState Boot(ulong term, LogEntry[] log, ulong commit = 3) =>
        new() { HardState = new HardState(term, 0, commit), Entries = log };

    private static LogEntry[] Log(params (ulong From, ulong To, ulong Term)[] runs)
    {
        var entries = new List<LogEntry>();
        foreach (var (from, to, term) in runs)
        {
            for (var i = from; i <= to; i++)
            {
                entries.Add(new LogEntry(i, term, EntryKind.Command, new byte[] { (byte)i }));
            }
        }

        return [.. entries];
    }
}
