using System.Diagnostics;
using Sinkron.Nodes.Hosting;

namespace Sinkron.Nodes.Raft.Host;

/// <summary>
/// The <c>--raft-load</c> benchmark: while this node leads, it keeps <c>inFlight</c> 64-byte
/// <see cref="EntryKind.Load"/> entries proposed and not yet committed, so replication is measured
/// without any client, TLS to clients or state machine in the way. Runs inside a Raft pass; the
/// counters it publishes are read by STATUS from other threads.
/// </summary>
internal sealed class RaftLoad(int inFlight)
{
    private static readonly ReadOnlyMemory<byte> Payload = new byte[64];
    private readonly Queue<(ulong Last, int Count, long Started)> _batches = new();
    private readonly LatencyWindow _latency = new();
    private ulong _lastProposed;
    private long _committed;
    private long _nextPublish;

    /// <summary>Load entries committed since the node started.</summary>
    public long Committed => Volatile.Read(ref _committed);

    /// <summary>Propose-to-commit latency of recent batches, microseconds (median, 99th percentile).</summary>
    public (uint P50, uint P99) Latency { get; private set; }

    /// <summary>Called once per loop iteration, with no Ready outstanding.</summary>
    public void Pump(RaftNode raft)
    {
        if (raft.Role != RaftRole.Leader)
        {
            _batches.Clear();
            _lastProposed = 0;
            return;
        }

        var commit = raft.CommitIndex;
        while (_batches.TryPeek(out var batch) && batch.Last <= commit)
        {
            _batches.Dequeue();
            _latency.Record(batch.Started);
            Volatile.Write(ref _committed, _committed + batch.Count);
        }

        var pending = _lastProposed > commit ? (int)(_lastProposed - commit) : 0;
        var room = inFlight - pending;
        if (room > 0)
        {
            var proposed = 0;
            while (proposed < room && raft.Propose(Payload, out var index, EntryKind.Load))
            {
                _lastProposed = index;
                proposed++;
            }

            if (proposed > 0)
            {
                _batches.Enqueue((_lastProposed, proposed, Stopwatch.GetTimestamp()));
            }
        }

        if (Stopwatch.GetTimestamp() >= _nextPublish)
        {
            _nextPublish = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 2;
            Latency = (_latency.PercentileMicroseconds(0.5), _latency.PercentileMicroseconds(0.99));
        }
    }
}
