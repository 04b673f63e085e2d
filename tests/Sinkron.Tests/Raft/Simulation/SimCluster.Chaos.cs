using Sinkron.Nodes.Raft;

namespace Sinkron.Tests.Raft.Simulation;

// The faults and client traffic injected every 10 ms until the network heals.
internal sealed partial class SimCluster
{
    private ulong _nextReadContext = 1;

    private void Chaos()
    {
        var s = _scenario;
        if (_rng.NextDouble() < s.Propose)
        {
            var burst = 1 + _rng.Next(3);
            for (var i = 0; i < burst && ProposeOnLeader(_nextCommand); i++)
            {
                _nextCommand++;
            }
        }

        if (_rng.NextDouble() < s.Read)
        {
            IssueRead(RandomNode(alive: true));
        }

        if (_rng.NextDouble() < s.Partition)
        {
            Partition();
        }

        if (_rng.NextDouble() < s.Heal)
        {
            Array.Clear(_blocked);
            Log(_nodes[0], "network healed");
        }

        if (_rng.NextDouble() < s.Crash && RandomNode(alive: true) is { } victim)
        {
            Crash(victim);
        }

        if (_rng.NextDouble() < s.Restart && RandomNode(alive: false) is { } dead)
        {
            Start(dead);
        }

        if (_rng.NextDouble() < s.Transfer)
        {
            TransferFromLeader();
        }
    }

    private void Partition()
    {
        var n = _nodes.Length;
        if (_rng.NextDouble() < 0.5)
        {
            // Symmetric: a random side is cut off from the rest, both ways.
            var side = new bool[n + 1];
            for (var i = 1; i <= n; i++)
            {
                side[i] = _rng.NextDouble() < 0.5;
            }

            for (var a = 1; a <= n; a++)
            {
                for (var b = 1; b <= n; b++)
                {
                    _blocked[a, b] |= side[a] != side[b];
                }
            }

            Log(_nodes[0], "symmetric partition");
        }
        else
        {
            var from = 1 + _rng.Next(n);
            var to = 1 + _rng.Next(n);
            _blocked[from, to] = from != to;
            Log(_nodes[0], $"one-way cut {from}->{to}");
        }
    }

    private void IssueRead(SimNode? node)
    {
        if (node?.Raft is not { } raft)
        {
            return;
        }

        // Anything committed anywhere before the read began must be visible at its read index.
        var floor = 0UL;
        foreach (var n in _nodes)
        {
            floor = Math.Max(floor, n.Raft?.CommitIndex ?? 0);
        }

        var context = _nextReadContext++;
        _readFloor[context] = floor;
        if (raft.ReadIndex(context))
        {
            Drain(node);
        }
    }

    private void TransferFromLeader()
    {
        foreach (var node in _nodes)
        {
            if (node.Raft is { Role: RaftRole.Leader } raft)
            {
                var target = (ulong)(1 + _rng.Next(_nodes.Length));
                Log(node, $"transfer to {target}");
                raft.TransferLeadership(target);
                Drain(node);
                return;
            }
        }
    }

    private SimNode? RandomNode(bool alive)
    {
        var start = _rng.Next(_nodes.Length);
        for (var i = 0; i < _nodes.Length; i++)
        {
            var node = _nodes[(start + i) % _nodes.Length];
            if (node.Alive == alive)
            {
                return node;
            }
        }

        return null;
    }

    private void Heal()
    {
        _healed = true;
        Array.Clear(_blocked);
        foreach (var node in _nodes)
        {
            if (!node.Alive)
            {
                Start(node);
            }
        }

        Log(_nodes[0], "healed for the liveness check");
    }
}
