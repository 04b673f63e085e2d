using System.Net.Sockets;
using Sinkron.Wire.Messages.Queues;
using Sinkron.Wire.Transport;
using StackExchange.Redis;

namespace Sinkron.Nodes.Queues;

/// <summary>Where a produce's outcome goes: its ids once Redis acknowledged every XADD, or the error.</summary>
internal abstract class ProduceReply
{
    public abstract void Completed(string[] ids);

    public abstract void Failed(Exception error);
}

/// <summary>
/// Sends one Redis node's produces in batches over its <see cref="StreamAppendPipe"/>. Produces that arrive while a
/// batch is in flight are collected and leave together when it is answered: one socket write of pipelined XADDs
/// and one read of their replies per batch, however many producers. A produce is answered only after Redis
/// answered all its XADDs (with AOF on, the entries are in the append-only file); if one of them failed, the
/// others stay in their stream and the produce is answered with the error, so a retry may duplicate them, which
/// at-least-once delivery allows. There is no sender thread: the thread that finds no batch in flight sends (a
/// connection's read loop, or the pipe's receive loop that just answered a batch).
/// </summary>
internal sealed class ProduceBatcher(RedisNode node, QueueSignals signals)
{
    private readonly Lock _gate = new();
    private List<PendingProduce> _waiting = [];

    // One batch in flight at a time: a second one made the batches smaller and measured no better
    // (docs/benchmarks.md, queue section).
    private bool _sending;

    public void Enqueue(QueueProduce request, ProduceReply reply)
    {
        List<PendingProduce> batch;
        lock (_gate)
        {
            _waiting.Add(new PendingProduce(request, reply, this));
            if (_sending)
            {
                // Leaves with the next batch, when the one in flight is answered.
                return;
            }

            _sending = true;
            batch = TakeWaiting();
        }

        Send(batch);
    }

    /// <summary>Called by the pipe for each produce, in order, once its XADDs are answered or the connection failed.</summary>
    public void Answered(PendingProduce pending)
    {
        if (pending.Error is { } error)
        {
            pending.Reply.Failed(Translate(error));
        }
        else
        {
            signals.Notify(pending.Request.Queue);
            pending.Reply.Completed(pending.Ids);
        }

        if (pending.EndsBatch && NextBatch() is { } next)
        {
            Send(next);
        }
    }

    /// <summary>Sends <paramref name="batch"/>, and while the node is down fails it and whatever waited behind it.</summary>
    private void Send(List<PendingProduce> batch)
    {
        while (true)
        {
            batch[^1].EndsBatch = true;
            if (node.Appends.TrySend(batch))
            {
                return;
            }

            FailAll(batch, node.Unavailable());
            if (NextBatch() is not { } next)
            {
                return;
            }

            batch = next;
        }
    }

    /// <summary>The produces that waited for the batch just answered, or null (and sending stops) when none did.</summary>
    private List<PendingProduce>? NextBatch()
    {
        lock (_gate)
        {
            if (_waiting.Count == 0)
            {
                _sending = false;
                return null;
            }

            return TakeWaiting();
        }
    }

    private List<PendingProduce> TakeWaiting()
    {
        var taken = _waiting;
        _waiting = [];
        return taken;
    }

    private static void FailAll(List<PendingProduce> batch, Exception error)
    {
        FrameOutbox.Cork();
        try
        {
            foreach (var pending in batch)
            {
                pending.Reply.Failed(error);
            }
        }
        finally
        {
            FrameOutbox.Uncork();
        }
    }

    private Exception Translate(Exception error) => error switch
    {
        IOException or SocketException or ObjectDisposedException or InvalidDataException => node.Unavailable(error),
        RedisServerException redis when IsPassing(redis.Message) => node.Unavailable(error),
        _ => error,
    };

    /// <summary>Refusals that last only while Redis loads its data after a restart or runs a long script: retryable.</summary>
    private static bool IsPassing(string message) =>
        message.StartsWith("LOADING", StringComparison.Ordinal) || message.StartsWith("BUSY", StringComparison.Ordinal);
}
