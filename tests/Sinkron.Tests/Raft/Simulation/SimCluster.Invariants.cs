using System.Buffers.Binary;
using Sinkron.Nodes.Raft;

namespace Sinkron.Tests.Raft.Simulation;

// Raft's safety properties, checked after every simulated event.
internal sealed partial class SimCluster
{
    private readonly Dictionary<ulong, ulong> _leaderOfTerm = [];

    // (index, term) -> (term of the entry before it, content): log matching, checked on every entry any node stores.
    private readonly Dictionary<(ulong Index, ulong Term), (ulong PrevTerm, ulong Content)> _entries = [];

    // index -> term and state hash after applying it, as first applied anywhere.
    private readonly Dictionary<ulong, (ulong Term, ulong Hash)> _applied = [];
    private ulong _maxApplied;
    private readonly Dictionary<ulong, ulong> _readFloor = [];

    private void CheckInvariants()
    {
        foreach (var node in _nodes)
        {
            if (node.Raft is not { } r)
            {
                continue;
            }

            if (r.CommitIndex < node.LastCommit)
            {
                Fail($"commit went back on n{node.Id}: {node.LastCommit} -> {r.CommitIndex}");
            }

            if (r.CommitIndex > r.LastIndex)
            {
                Fail($"n{node.Id} commit {r.CommitIndex} beyond its last index {r.LastIndex}");
            }

            node.LastCommit = r.CommitIndex;
            if (r.Role == RaftRole.Leader)
            {
                if (_leaderOfTerm.TryGetValue(r.Term, out var other) && other != node.Id)
                {
                    Fail($"election safety: n{other} and n{node.Id} both lead term {r.Term}");
                }

                _leaderOfTerm[r.Term] = node.Id;
                if (node.LastRole != RaftRole.Leader || node.LastTerm != r.Term)
                {
                    Stats.Elections++;
                    CheckLeaderCompleteness(node, r);
                }
            }

            node.LastRole = r.Role;
            node.LastTerm = r.Term;
        }
    }

    private void CheckLeaderCompleteness(SimNode node, RaftNode r)
    {
        if (r.LastIndex < _maxApplied)
        {
            Fail($"leader completeness: n{node.Id} leads term {r.Term} with last index {r.LastIndex} < applied {_maxApplied}");
        }

        for (var i = r.Snapshot.Index + 1; i <= _maxApplied; i++)
        {
            if (_applied.TryGetValue(i, out var applied) && r.TermAt(i) != applied.Term)
            {
                Fail($"leader completeness: n{node.Id} leads term {r.Term} with term {r.TermAt(i)} at {i}, committed with term {applied.Term}");
            }
        }
    }

    private void CheckNewEntries(SimNode node, Ready rd)
    {
        var entries = rd.Entries.Span;
        for (var k = 0; k < entries.Length; k++)
        {
            ref readonly var e = ref entries[k];
            var prevTerm = k == 0 ? node.Raft!.TermAt(e.Index - 1) : entries[k - 1].Term;
            var content = Content(in e);
            if (_entries.TryGetValue((e.Index, e.Term), out var seen))
            {
                if (seen.PrevTerm != prevTerm || seen.Content != content)
                {
                    Fail($"log matching: n{node.Id} stores ({e.Index}, {e.Term}) after term {prevTerm} content {content:x}; seen after term {seen.PrevTerm} content {seen.Content:x}");
                }
            }
            else
            {
                _entries[(e.Index, e.Term)] = (prevTerm, content);
            }
        }
    }

    private void CheckApplied(SimNode node, in LogEntry e)
    {
        if (_applied.TryGetValue(e.Index, out var first))
        {
            if (first.Term != e.Term || first.Hash != node.State.Hash)
            {
                Fail($"state machine safety: n{node.Id} applied ({e.Index}, {e.Term}) reaching hash {node.State.Hash:x}; first applied as term {first.Term} hash {first.Hash:x}");
            }
        }
        else
        {
            _applied[e.Index] = (e.Term, node.State.Hash);
            _maxApplied = Math.Max(_maxApplied, e.Index);
        }
    }

    private void CheckRestored(SimNode node, SnapshotMetadata snap)
    {
        if (node.State.Index != snap.Index)
        {
            Fail($"n{node.Id} installed snapshot {snap.Index} whose state is at {node.State.Index}");
        }

        if (!_applied.TryGetValue(snap.Index, out var first) || first.Hash != node.State.Hash || first.Term != snap.Term)
        {
            Fail($"state machine safety: n{node.Id} installed snapshot ({snap.Index}, {snap.Term}) with a state never applied there");
        }
    }

    private void CheckRead(SimNode node, ReadState rs)
    {
        if (_readFloor.Remove(rs.RequestContext, out var floor) && rs.Index < floor)
        {
            Fail($"ReadIndex: n{node.Id} got read index {rs.Index} for request {rs.RequestContext}, but {floor} was committed before it began");
        }
    }

    private static ulong Content(in LogEntry e) =>
        e.Data.Length == 8 ? BinaryPrimitives.ReadUInt64LittleEndian(e.Data.Span) : ((ulong)(byte)e.Kind << 60) | (uint)e.Data.Length;

    private void Fail(string message) => throw new SimulationFailure($"{message} (at {Now} ms)");
}

internal sealed class SimulationFailure(string message) : Exception(message);
