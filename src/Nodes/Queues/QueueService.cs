using System.Buffers;
using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sinkron.Nodes.Hosting;
using Sinkron.Nodes.Ring;
using Sinkron.Nodes.Security;
using Sinkron.Wire.Framing;
using Sinkron.Wire.Messages;
using Sinkron.Wire.Messages.Queues;
using Sinkron.Wire.Server;
using Sinkron.Wire.Transport;

namespace Sinkron.Nodes.Queues;

/// <summary>
/// The queue role: decodes queue frames, runs them on the <see cref="QueueRouter"/> without
/// blocking the connection, answers, and audits produce (one line per principal and queue per
/// second), group creation and dead-lettering.
/// Also owns the Redis connections and the retention trimmer.
/// </summary>
internal sealed class QueueService(NodeSettings settings, AuditLog audit, NodeMetrics metrics, ILogger<QueueService> logger)
    : BackgroundService, INodeService
{
    private readonly QueueSignals _signals = new();
    private readonly ProduceAudit _produceAudit = new(audit);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _queueCounts = new();
    private volatile QueueRouter? _router;

    private ILogger Logger => logger;

    private NodeMetrics Metrics => metrics;

    public bool Handles(MessageType type) => (ushort)type is >= 0x0300 and < 0x0400;

    public void OnFrame(ServerConnection connection, in FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        var router = _router;
        if (router is null)
        {
            connection.Outbox.RespondError(header.RequestId, ErrorCode.Unavailable, "the queue router is still connecting to Redis; retry");
            return;
        }

        if (header.Type == MessageType.QueueProduce)
        {
            Produce(router, connection, payload, header);
            return;
        }

        Task<Action<FrameOutbox>>? work = header.Type switch
        {
            MessageType.QueueCreateGroup when QueueCreateGroup.TryRead(payload, out var m) => CreateGroup(router, connection, m, header),
            MessageType.QueueConsume when QueueConsume.TryRead(payload, out var m) => Consume(router, connection, m, header),
            MessageType.QueueAck when QueueAckRequest.TryRead(payload, out var m) => Count(router.AckAsync(m), header),
            MessageType.QueueNack when QueueAckRequest.TryRead(payload, out var m) => Count(router.NackAsync(m), header),
            MessageType.QueueRedrive when QueueRedrive.TryRead(payload, out var m) => Redrive(router, connection, m, header),
            MessageType.QueueStats when QueueStatsRequest.TryRead(payload, out var m) => Stats(router, m, header),
            _ => null,
        };
        if (work is null)
        {
            connection.Fail(header.RequestId, ErrorCode.BadPayload, $"{header.Type} payload is malformed");
            return;
        }

        _ = Complete(connection, header, work);
    }

    private async Task Complete(ServerConnection connection, FrameHeader header, Task<Action<FrameOutbox>> work)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            (await work)(connection.Outbox);
        }
        catch (QueueException ex)
        {
            connection.Outbox.RespondError(header.RequestId, ex.Code, ex.Message);
        }
        catch (Exception ex)
        {
            QueueLog.Failed(logger, ex, header.Type);
            connection.Outbox.RespondError(header.RequestId, ErrorCode.Internal, $"the router failed: {ex.Message}");
        }

        metrics.RequestDuration(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        connection.Outbox.FlushSoon();
    }

    /// <summary>The hot path: no task per produce; the node's batcher answers through a <see cref="WireProduceReply"/>.</summary>
    private void Produce(QueueRouter router, ServerConnection connection, in ReadOnlySequence<byte> payload, in FrameHeader header)
    {
        if (!QueueProduce.TryRead(payload, out var request))
        {
            connection.Fail(header.RequestId, ErrorCode.BadPayload, $"{header.Type} payload is malformed");
            return;
        }

        try
        {
            router.Produce(request, new WireProduceReply(this, connection, header, request.Queue, Stopwatch.GetTimestamp()));
        }
        catch (QueueException ex)
        {
            connection.Outbox.RespondError(header.RequestId, ex.Code, ex.Message);
            connection.Outbox.FlushSoon();
        }
    }

    private sealed class WireProduceReply(QueueService service, ServerConnection connection, FrameHeader header, string queue, long started) : ProduceReply
    {
        public override void Completed(string[] ids)
        {
            connection.Outbox.Respond(header, new QueueIds(ids));
            service._produceAudit.Record(connection.Identity.Subject, queue, ids);
            Done();
        }

        public override void Failed(Exception error)
        {
            if (error is QueueException queueError)
            {
                connection.Outbox.RespondError(header.RequestId, queueError.Code, queueError.Message);
            }
            else
            {
                QueueLog.Failed(service.Logger, error, header.Type);
                connection.Outbox.RespondError(header.RequestId, ErrorCode.Internal, $"the router failed: {error.Message}");
            }

            Done();
        }

        // The batcher answers a batch under a cork: one write per connection at its end.
        private void Done()
        {
            service.Metrics.RequestDuration(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            connection.Outbox.Flush();
        }
    }

    private async Task<Action<FrameOutbox>> CreateGroup(QueueRouter router, ServerConnection connection, QueueCreateGroup request, FrameHeader header)
    {
        var created = await router.CreateGroupAsync(request);
        audit.Write(connection.Identity.Subject, "queue.group.create", $"{request.Queue}/{request.Group}", created ? "created" : "existed");
        return outbox => outbox.Respond(header, new QueueCount(created ? 1u : 0u));
    }

    private static async Task<Action<FrameOutbox>> Consume(QueueRouter router, ServerConnection connection, QueueConsume request, FrameHeader header)
    {
        var messages = await router.ConsumeAsync(request, connection.Closed);
        return outbox => outbox.Respond(header, new QueueMessages(messages));
    }

    private static async Task<Action<FrameOutbox>> Count(Task<uint> count, FrameHeader header)
    {
        var value = await count;
        return outbox => outbox.Respond(header, new QueueCount(value));
    }

    private async Task<Action<FrameOutbox>> Redrive(QueueRouter router, ServerConnection connection, QueueRedrive request, FrameHeader header)
    {
        var moved = await router.RedriveAsync(request);
        audit.Write(connection.Identity.Subject, "queue.redrive", request.Queue, $"moved {moved}");
        return outbox => outbox.Respond(header, new QueueCount(moved));
    }

    private static async Task<Action<FrameOutbox>> Stats(QueueRouter router, QueueStatsRequest request, FrameHeader header)
    {
        var stats = await router.StatsAsync(request.Queue);
        return outbox => outbox.Respond(header, stats);
    }

    public void OnClosed(ServerConnection connection)
    {
    }

    public void AddStatus(List<KeyValuePair<string, string>> fields)
    {
        var router = _router;
        if (router is null)
        {
            fields.Add(new("state", "starting"));
            return;
        }

        var healthy = 0;
        foreach (var node in router.Nodes)
        {
            healthy += node.IsConnected ? 1 : 0;
            var queues = _queueCounts.GetValueOrDefault(node.Id);
            fields.Add(new($"redis {node.Id}", node.IsConnected ? $"up {node.Address} {queues} queues" : $"DOWN {node.Address}"));
        }

        fields.Insert(0, new("state", healthy == router.Nodes.Count ? "up" : "degraded"));
    }

    /// <summary>Refreshes each Redis node's queue count for STATUS, which must answer without waiting on Redis.</summary>
    private async Task CountQueuesAsync(QueueRouter router)
    {
        foreach (var node in router.Nodes)
        {
            if (node.IsConnected)
            {
                try
                {
                    _queueCounts[node.Id] = await node.Database.SetLengthAsync(QueueKeys.Registry);
                }
                catch (StackExchange.Redis.RedisException)
                {
                    // Shown as of the last successful count; health is reported separately.
                }
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nodes = new List<RedisNode>();
        foreach (var endpoint in settings.Redis)
        {
            nodes.Add(await RedisNode.ConnectAsync(endpoint, logger));
        }

        var ring = new HashRing(settings.Redis.Select(r => new RingNode(r.Id)));
        var router = new QueueRouter(nodes, ring,
            new QueueOptions(TimeSpan.FromMilliseconds(settings.VisibilityTimeoutMs), settings.MaxDeliveries, settings.MaxMessageBytes), _signals);
        router.DeadLettered += (queue, id, deliveries) =>
        {
            QueueLog.DeadLettered(logger, queue, id, deliveries);
            audit.Write("router", "queue.dead-letter", queue, $"{id} after {deliveries} deliveries");
        };
        _router = router;
        QueueLog.Started(logger, nodes.Count, string.Join(", ", nodes.Select(n => $"{n.Id}={n.Address}")));
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                await QueueTrimmer.TrimAsync(router, (queue, ex) => QueueLog.TrimFailed(logger, ex, queue), stoppingToken);
                await CountQueuesAsync(router);
                _produceAudit.Flush();
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _produceAudit.Flush();
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }
}
