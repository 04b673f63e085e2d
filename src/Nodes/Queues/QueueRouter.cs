using System.Collections.Concurrent;
using Sinkron.Nodes.Ring;
using Sinkron.Wire.Messages;
using Sinkron.Wire.Messages.Queues;
using StackExchange.Redis;

namespace Sinkron.Nodes.Queues;

/// <summary>
/// The queue service's logic: a queue is a Redis Stream on the node its name maps to on the
/// consistent-hash ring; consumer groups give at-least-once delivery. Every method throws
/// <see cref="QueueException"/> for errors the client should see.
/// </summary>
internal sealed partial class QueueRouter(IReadOnlyList<RedisNode> nodes, HashRing ring, QueueOptions options, QueueSignals signals)
{
    private readonly Dictionary<string, RedisNode> _byId = nodes.ToDictionary(n => n.Id);
    private readonly ConcurrentDictionary<(string Queue, string Group), long> _lastReclaim = new();
    private readonly ConcurrentDictionary<string, long> _redeliveries = new();
    private readonly ConcurrentDictionary<string, uint> _retention = new();
    private readonly ConcurrentDictionary<string, byte> _registered = new();
    private readonly Dictionary<string, ProduceBatcher> _batchers = nodes.ToDictionary(n => n.Id, n => new ProduceBatcher(n, signals));

    public IReadOnlyList<RedisNode> Nodes => nodes;

    public HashRing Ring => ring;

    public QueueOptions Options => options;

    public RedisNode NodeFor(string queue) => _byId[ring.Lookup(queue)];

    /// <summary>Queues with a retention limit, for the trimmer.</summary>
    public IEnumerable<KeyValuePair<string, uint>> Retention => _retention;

    /// <summary>
    /// Validates a produce and hands it to its node's batcher; <paramref name="reply"/> hears the ids once
    /// Redis acknowledged every XADD. Invalid requests and a node known to be down throw at once.
    /// </summary>
    public void Produce(QueueProduce request, ProduceReply reply)
    {
        QueueKeys.Validate(request.Queue);
        if (request.Bodies.Count == 0)
        {
            throw new QueueException(ErrorCode.InvalidArgument, "PRODUCE carries no message");
        }

        foreach (var body in request.Bodies)
        {
            if (body.Length > options.MaxMessageBytes)
            {
                throw new QueueException(ErrorCode.InvalidArgument, $"a message of {body.Length} bytes is above the limit of {options.MaxMessageBytes} bytes");
            }
        }

        if (request.MaxLength > 0)
        {
            _retention[request.Queue] = request.MaxLength;
        }

        var node = NodeFor(request.Queue);
        if (!node.IsConnected)
        {
            throw node.Unavailable();
        }

        // The registry (for STATS) needs the name once per router run, not once per message.
        if (_registered.TryAdd(request.Queue, 0))
        {
            _ = node.Database.SetAddAsync(QueueKeys.Registry, request.Queue, CommandFlags.FireAndForget);
        }

        _batchers[node.Id].Enqueue(request, reply);
    }

    public async Task<bool> CreateGroupAsync(QueueCreateGroup request)
    {
        QueueKeys.Validate(request.Queue);
        QueueKeys.Validate(request.Group, "group");
        var node = NodeFor(request.Queue);
        try
        {
            await Call(node, async db =>
            {
                await db.StreamCreateConsumerGroupAsync(QueueKeys.Stream(request.Queue), request.Group,
                    request.FromStart ? StreamPosition.Beginning : StreamPosition.NewMessages, createStream: true);
                await db.SetAddAsync(QueueKeys.Registry, request.Queue);
                return 0;
            });
            return true;
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            return false;
        }
    }

    public async Task<uint> AckAsync(QueueAckRequest request)
    {
        QueueKeys.Validate(request.Queue);
        var ids = ToValues(request.Ids);
        var node = NodeFor(request.Queue);
        return (uint)await Call(node, db => db.StreamAcknowledgeAsync(QueueKeys.Stream(request.Queue), request.Group, ids));
    }

    /// <summary>Makes the entries eligible for redelivery now, by marking them idle past the visibility timeout.</summary>
    public async Task<uint> NackAsync(QueueAckRequest request)
    {
        QueueKeys.Validate(request.Queue);
        var node = NodeFor(request.Queue);
        var args = new List<object> { QueueKeys.Stream(request.Queue), request.Group, "sinkron-released", 0 };
        foreach (var id in request.Ids)
        {
            args.Add(id);
        }

        args.AddRange(["IDLE", (long)options.VisibilityTimeout.TotalMilliseconds + 1, "JUSTID"]);
        var result = await Call(node, db => db.ExecuteAsync("XCLAIM", args));
        _lastReclaim.TryRemove((request.Queue, request.Group), out _);
        signals.Notify(request.Queue);
        return (uint)((RedisResult[])result!).Length;
    }

    private async Task<T> Call<T>(RedisNode node, Func<IDatabase, Task<T>> call)
    {
        if (!node.IsConnected)
        {
            throw node.Unavailable();
        }

        try
        {
            return await call(node.Database);
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
        {
            throw node.Unavailable(ex);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
        {
            throw new QueueException(ErrorCode.NotFound, "no such consumer group on this queue; create it with `queue group create`");
        }
    }

    private static RedisValue[] ToValues(IReadOnlyList<string> ids)
    {
        var values = new RedisValue[ids.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = ids[i];
        }

        return values;
    }
}
