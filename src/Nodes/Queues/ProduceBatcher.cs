using System.Runtime.CompilerServices;
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
/// Sends one Redis node's XADDs in batches. Produces that arrive while earlier batches are in flight
/// are collected and written as one pipelined run (no MULTI, no Lua), and the whole batch is answered
/// from one continuation on its last reply: replies on a connection come back in order, so when the
/// last is in, the others are too. A produce is still answered only after Redis acknowledged each of
/// its XADDs (with AOF on, the entry is in the append-only file). There is no sender thread: the
/// thread that finds a free slot sends (a connection's read loop, or the continuation of the batch
/// that just finished), which saves a thread hop per batch.
/// </summary>
internal sealed class ProduceBatcher(RedisNode node, QueueSignals signals)
{
    private const int MaxInFlight = 1;

    private readonly Lock _gate = new();
    private List<Pending> _waiting = [];
    private int _waitingMessages;
    private int _inFlight;

    public void Enqueue(RedisKey key, QueueProduce request, ProduceReply reply)
    {
        List<Pending> batch;
        int messages;
        lock (_gate)
        {
            _waiting.Add(new Pending(key, request, reply));
            _waitingMessages += request.Bodies.Count;
            if (_inFlight >= MaxInFlight)
            {
                // Leaves with the next batch, when one in flight completes.
                return;
            }

            _inFlight++;
            (batch, messages) = TakeWaiting();
        }

        _ = SendAsync(batch, messages);
    }

    private (List<Pending> Batch, int Messages) TakeWaiting()
    {
        var taken = (_waiting, _waitingMessages);
        _waiting = [];
        _waitingMessages = 0;
        return taken;
    }

    private async Task SendAsync(List<Pending> batch, int messages)
    {
        while (true)
        {
            await SendOneAsync(batch, messages).ConfigureAwait(false);
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _inFlight--;
                    return;
                }

                (batch, messages) = TakeWaiting();
            }
        }
    }

    private async Task SendOneAsync(List<Pending> batch, int messages)
    {
        try
        {
            if (!node.IsConnected)
            {
                FailAll(batch, node.Unavailable());
                return;
            }

            var adds = new Task<RedisValue>[messages];
            var redis = node.Database.CreateBatch();
            var k = 0;
            foreach (var pending in batch)
            {
                foreach (var body in pending.Request.Bodies)
                {
                    adds[k++] = redis.StreamAddAsync(pending.Key, QueueKeys.Body, body);
                }
            }

            redis.Execute();
            await Settle(adds[^1]);

            // A broken connection can fail the earlier ones after the last.
            foreach (var add in adds)
            {
                if (!add.IsCompleted)
                {
                    await Settle(add);
                }
            }

            Answer(batch, adds);
        }
        catch (Exception ex)
        {
            FailAll(batch, ex);
        }
    }

    private void Answer(List<Pending> batch, Task<RedisValue>[] adds)
    {
        FrameOutbox.Cork();
        try
        {
            var k = 0;
            foreach (var pending in batch)
            {
                var ids = new string[pending.Request.Bodies.Count];
                Exception? error = null;
                for (var i = 0; i < ids.Length; i++)
                {
                    var add = adds[k++];
                    if (add.IsCompletedSuccessfully)
                    {
                        ids[i] = add.Result.ToString();
                    }
                    else
                    {
                        error ??= Translate(add.Exception?.InnerException);
                    }
                }

                if (error is null)
                {
                    signals.Notify(pending.Request.Queue);
                    pending.Reply.Completed(ids);
                }
                else
                {
                    pending.Reply.Failed(error);
                }
            }
        }
        finally
        {
            FrameOutbox.Uncork();
        }
    }

    private void FailAll(List<Pending> batch, Exception error)
    {
        var translated = Translate(error);
        FrameOutbox.Cork();
        try
        {
            foreach (var pending in batch)
            {
                pending.Reply.Failed(translated);
            }
        }
        finally
        {
            FrameOutbox.Uncork();
        }
    }

    private Exception Translate(Exception? error) => error switch
    {
        RedisConnectionException or RedisTimeoutException => node.Unavailable(error),
        null => new InvalidOperationException("an XADD was cancelled"),
        _ => error,
    };

    // Outcomes are read per entry in Answer.
    private static ConfiguredTaskAwaitable Settle(Task add) => add.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

    private readonly record struct Pending(RedisKey Key, QueueProduce Request, ProduceReply Reply);
}
