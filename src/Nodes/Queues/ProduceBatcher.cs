using System.Runtime.CompilerServices;
using System.Threading.Channels;
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
/// its XADDs (with AOF on, the entry is in the append-only file).
/// </summary>
internal sealed class ProduceBatcher
{
    private const int MaxMessages = 1024;
    private const int MaxInFlight = 2;

    private readonly RedisNode _node;
    private readonly QueueSignals _signals;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _inFlight = new(MaxInFlight);

    public ProduceBatcher(RedisNode node, QueueSignals signals)
    {
        _node = node;
        _signals = signals;
        _ = Task.Run(RunAsync);
    }

    public void Enqueue(RedisKey key, QueueProduce request, ProduceReply reply) => _queue.Writer.TryWrite(new Pending(key, request, reply));

    public void Complete() => _queue.Writer.TryComplete();

    private async Task RunAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            // While the batches in flight wait on Redis, new produces pile up here and leave together.
            await _inFlight.WaitAsync().ConfigureAwait(false);
            var batch = new List<Pending>();
            var messages = 0;
            while (messages < MaxMessages && reader.TryRead(out var pending))
            {
                batch.Add(pending);
                messages += pending.Request.Bodies.Count;
            }

            _ = SendAsync(batch, messages);
        }
    }

    private async Task SendAsync(List<Pending> batch, int messages)
    {
        try
        {
            if (!_node.IsConnected)
            {
                FailAll(batch, _node.Unavailable());
                return;
            }

            var adds = new Task<RedisValue>[messages];
            var redis = _node.Database.CreateBatch();
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
        finally
        {
            _inFlight.Release();
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
                    _signals.Notify(pending.Request.Queue);
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
        RedisConnectionException or RedisTimeoutException => _node.Unavailable(error),
        null => new InvalidOperationException("an XADD was cancelled"),
        _ => error,
    };

    // Outcomes are read per entry in Answer.
    private static ConfiguredTaskAwaitable Settle(Task add) => add.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

    private readonly record struct Pending(RedisKey Key, QueueProduce Request, ProduceReply Reply);
}
