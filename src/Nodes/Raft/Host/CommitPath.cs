using System.Diagnostics;
using Sinkron.Nodes.Hosting;

namespace Sinkron.Nodes.Raft.Host;

/// <summary>
/// Where a leader's commits wait. For each batch of entries it appends (one pass's proposals) it notes
/// when the batch went to the log, when its own fsync covered it, when the first follower acknowledged
/// it and when it committed; STATUS shows the median of each delay over recent batches. Whichever of
/// "own fsync" and "first ack" is larger is the commit path: this node's disk, or a follower's round
/// trip. Runs inside a Raft pass; <see cref="Medians"/> is read by STATUS from other threads.
/// </summary>
internal sealed class CommitPath
{
    /// <summary>Batches tracked at once; beyond it (nothing commits) tracking starts over rather than grow.</summary>
    private const int Capacity = 4096;

    private readonly Batch[] batches = new Batch[Capacity];
    private readonly LatencyWindow ownFsync = new();
    private readonly LatencyWindow firstAck = new();
    private readonly LatencyWindow commit = new();

    // Sequence numbers of batches: [oldest, next) are open; the cursors are the first not yet marked.
    private long oldest;
    private long next;
    private long durableCursor;
    private long ackCursor;
    private long nextPublish;

    /// <summary>Medians in microseconds over recent batches; 0 where nothing was measured (first ack on one node).</summary>
    public (uint OwnFsync, uint FirstAck, uint Commit) Medians { get; private set; }

    public void Appended(ulong lastIndex, long now)
    {
        if (next - oldest == Capacity)
        {
            Reset();
        }

        batches[next++ % Capacity] = new Batch(lastIndex, now);
    }

    /// <summary>This node's log is durable up to <paramref name="index"/>.</summary>
    public void Durable(ulong index, long now) => Mark(ref durableCursor, index, now, durable: true);

    /// <summary>A follower holds the log durable up to <paramref name="index"/>; only the first to do so counts.</summary>
    public void Acknowledged(ulong index, long now) => Mark(ref ackCursor, index, now, durable: false);

    /// <summary>Stamps the open batches up to <paramref name="index"/> that <paramref name="cursor"/> has not passed yet.</summary>
    private void Mark(ref long cursor, ulong index, long now, bool durable)
    {
        cursor = Math.Max(cursor, oldest);
        while (cursor < next && batches[cursor % Capacity].LastIndex <= index)
        {
            ref var batch = ref batches[cursor++ % Capacity];
            if (durable)
            {
                batch.Durable = now;
            }
            else
            {
                batch.Acknowledged = now;
            }
        }
    }

    public void Committed(ulong index, long now)
    {
        while (oldest < next && batches[oldest % Capacity].LastIndex <= index)
        {
            ref readonly var batch = ref batches[oldest++ % Capacity];
            if (batch.Durable != 0)
            {
                ownFsync.RecordElapsed(batch.Durable - batch.Appended);
            }

            if (batch.Acknowledged != 0)
            {
                firstAck.RecordElapsed(batch.Acknowledged - batch.Appended);
            }

            commit.RecordElapsed(now - batch.Appended);
        }

        if (now >= nextPublish)
        {
            nextPublish = now + Stopwatch.Frequency / 2;
            Medians = (ownFsync.PercentileMicroseconds(0.5), firstAck.PercentileMicroseconds(0.5), commit.PercentileMicroseconds(0.5));
        }
    }

    /// <summary>Forgets open batches: leadership was lost, or nothing committed for too long.</summary>
    public void Reset()
    {
        oldest = next;
        durableCursor = next;
        ackCursor = next;
    }

    private struct Batch(ulong lastIndex, long appended)
    {
        public readonly ulong LastIndex = lastIndex;
        public readonly long Appended = appended;
        public long Durable;
        public long Acknowledged;
    }
}
