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
/// Sends one Redis node's XADDs in batches. Produces that arrive while a batch is in flight are
/// collected and sent as one command: a lone message as a plain XADD, several as one script that
/// runs their XADDs in order and returns the ids, so the client library, the socket and Redis each
/// handle one command per batch instead of one per message. A produce is answered only after Redis
/// answered the whole command (with AOF on, the entries are in the append-only file). If an XADD in
/// the script fails, the ones before it stay in their streams and the whole batch is answered with
/// the error: a retry may duplicate them, which at-least-once delivery allows. There is no sender
/// thread: the thread that finds a free slot sends (a connection's read loop, or the continuation of
/// the batch that just finished), which saves a thread hop per batch.
/// </summary>
internal sealed class ProduceBatcher(RedisNode node, QueueSignals signals)
{
    private const int MaxInFlight = 1;

    // KEYS: each message's stream; ARGV[1]: the body field; ARGV[i + 1]: message i's body.
    private const string AddAllScript = """
        local ids = {}
        for i = 1, #KEYS do
          ids[i] = redis.call('XADD', KEYS[i], '*', ARGV[1], ARGV[i + 1])
        end
        return ids
        """;

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

            var keys = new RedisKey[messages];
            var values = new RedisValue[messages + 1];
            values[0] = QueueKeys.Body;
            var k = 0;
            foreach (var pending in batch)
            {
                foreach (var body in pending.Request.Bodies)
                {
                    keys[k] = pending.Key;
                    values[++k] = body;
                }
            }

            RedisValue[] ids = messages == 1
                ? [await node.Database.StreamAddAsync(keys[0], QueueKeys.Body, values[1]).ConfigureAwait(false)]
                : (RedisValue[])(await node.Database.ScriptEvaluateAsync(AddAllScript, keys, values).ConfigureAwait(false))!;
            Answer(batch, ids);
        }
        catch (Exception ex)
        {
            FailAll(batch, ex);
        }
    }

    private void Answer(List<Pending> batch, RedisValue[] ids)
    {
        FrameOutbox.Cork();
        try
        {
            var k = 0;
            foreach (var pending in batch)
            {
                var own = new string[pending.Request.Bodies.Count];
                for (var i = 0; i < own.Length; i++)
                {
                    own[i] = ids[k++].ToString();
                }

                signals.Notify(pending.Request.Queue);
                pending.Reply.Completed(own);
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
        null => new InvalidOperationException("the produce batch was cancelled"),
        _ => error,
    };

    private readonly record struct Pending(RedisKey Key, QueueProduce Request, ProduceReply Reply);
}
