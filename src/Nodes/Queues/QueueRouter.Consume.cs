using System.Diagnostics;
using Sinkron.Wire.Messages.Queues;
using StackExchange.Redis;

namespace Sinkron.Nodes.Queues;

/// <summary>Consuming: own pending entries (after a restart), reclaimed idle entries, then new ones, then a long poll.</summary>
internal sealed partial class QueueRouter
{
    /// <summary>Raised for each entry moved to a dead-letter stream: (queue, id, deliveries).</summary>
    public event Action<string, string, long>? DeadLettered;

    public async Task<QueueMessage[]> ConsumeAsync(QueueConsume request, CancellationToken cancellationToken)
    {
        QueueKeys.Validate(request.Queue);
        QueueKeys.Validate(request.Group, "group");
        QueueKeys.Validate(request.Consumer, "consumer");
        var count = Math.Clamp((int)request.MaxCount, 1, 1000);
        var node = NodeFor(request.Queue);
        var key = QueueKeys.Stream(request.Queue);
        var deadline = Stopwatch.GetTimestamp() + (long)(request.WaitMs / 1000.0 * Stopwatch.Frequency);

        if (request.ReplayPending)
        {
            var own = await Call(node, db => db.StreamReadGroupAsync(key, request.Group, request.Consumer, "0", count));
            if (own.Length > 0)
            {
                return await WithDeliveryCounts(node, key, request, own);
            }
        }

        while (true)
        {
            var reclaimed = await ReclaimAsync(node, request, count);
            if (reclaimed.Length > 0)
            {
                return reclaimed;
            }

            // Taken before the read so a produce in between still wakes the wait; not needed without one.
            var signal = request.WaitMs > 0 ? signals.WaitAsync(request.Queue) : Task.CompletedTask;
            var fresh = await Call(node, db => db.StreamReadGroupAsync(key, request.Group, request.Consumer, StreamPosition.NewMessages, count));
            if (fresh.Length > 0)
            {
                return Fresh(fresh);
            }

            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (remaining <= TimeSpan.Zero || cancellationToken.IsCancellationRequested)
            {
                return [];
            }

            // Wake on a produce through this router, or re-check soon for redeliveries and other producers.
            var recheck = TimeSpan.FromMilliseconds(Math.Min(remaining.TotalMilliseconds, 100));
            await Task.WhenAny(signal, Task.Delay(recheck, cancellationToken));
        }
    }

    /// <summary>Claims entries idle past the visibility timeout for this consumer; dead-letters those delivered too often.</summary>
    private async Task<QueueMessage[]> ReclaimAsync(RedisNode node, QueueConsume request, int count)
    {
        var now = Environment.TickCount64;
        var slot = (request.Queue, request.Group);
        if (_lastReclaim.TryGetValue(slot, out var last) && now - last < (long)options.ReclaimInterval.TotalMilliseconds)
        {
            return [];
        }

        _lastReclaim[slot] = now;
        var key = QueueKeys.Stream(request.Queue);
        var claimed = await Call(node, db => db.StreamAutoClaimAsync(key, request.Group, request.Consumer,
            (long)options.VisibilityTimeout.TotalMilliseconds, "0-0", count));
        if (claimed.ClaimedEntries.Length == 0)
        {
            return [];
        }

        // More may be waiting: let the next consume look again at once.
        _lastReclaim.TryRemove(slot, out _);
        var messages = await WithDeliveryCounts(node, key, request, claimed.ClaimedEntries);
        var delivered = new List<QueueMessage>(messages.Length);
        foreach (var message in messages)
        {
            if (message.DeliveryCount > options.MaxDeliveries)
            {
                await DeadLetterAsync(node, request.Queue, request.Group, message, $"delivered {message.DeliveryCount} times without an ack (max {options.MaxDeliveries})");
            }
            else
            {
                delivered.Add(message);
            }
        }

        _redeliveries.AddOrUpdate(request.Queue, delivered.Count, (_, n) => n + delivered.Count);
        return [.. delivered];
    }

    private async Task DeadLetterAsync(RedisNode node, string queue, string group, QueueMessage message, string reason)
    {
        var fields = new NameValueEntry[]
        {
            new(QueueKeys.Body, message.Body),
            new("reason", reason),
            new("id", message.Id),
            new("group", group),
            new("deliveries", message.DeliveryCount),
        };
        await Call(node, async db =>
        {
            await db.StreamAddAsync(QueueKeys.DeadLetters(queue), fields);
            return await db.StreamAcknowledgeAsync(QueueKeys.Stream(queue), group, message.Id);
        });
        DeadLettered?.Invoke(queue, message.Id, message.DeliveryCount);
    }

    private async Task<QueueMessage[]> WithDeliveryCounts(RedisNode node, RedisKey key, QueueConsume request, StreamEntry[] entries)
    {
        var pending = await Call(node, db => db.StreamPendingMessagesAsync(key, request.Group, entries.Length + 16, request.Consumer,
            entries[0].Id, entries[^1].Id));
        var counts = new Dictionary<string, int>(pending.Length);
        foreach (var info in pending)
        {
            counts[info.MessageId.ToString()] = info.DeliveryCount;
        }

        var messages = new List<QueueMessage>(entries.Length);
        foreach (var entry in entries)
        {
            var id = entry.Id.ToString();
            if (entry.IsNull || entry.Values is null)
            {
                // Deleted from the stream while pending (trimmed by MAXLEN before retention protected it): nothing to deliver.
                continue;
            }

            messages.Add(new QueueMessage(id, (uint)counts.GetValueOrDefault(id, 1), (byte[])entry[QueueKeys.Body]!));
        }

        return [.. messages];
    }

    private static QueueMessage[] Fresh(StreamEntry[] entries)
    {
        var messages = new QueueMessage[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            messages[i] = new QueueMessage(entries[i].Id.ToString(), 1, (byte[])entries[i][QueueKeys.Body]!);
        }

        return messages;
    }

    public async Task<uint> RedriveAsync(QueueRedrive request)
    {
        QueueKeys.Validate(request.Queue);
        var node = NodeFor(request.Queue);
        var max = (int)Math.Clamp(request.Max == 0 ? 1000u : request.Max, 1, 100_000);
        var dead = await Call(node, db => db.StreamRangeAsync(QueueKeys.DeadLetters(request.Queue), "-", "+", max));
        uint moved = 0;
        foreach (var entry in dead)
        {
            await Call(node, async db =>
            {
                await db.StreamAddAsync(QueueKeys.Stream(request.Queue), QueueKeys.Body, entry[QueueKeys.Body]);
                return await db.StreamDeleteAsync(QueueKeys.DeadLetters(request.Queue), [entry.Id]);
            });
            moved++;
        }

        if (moved > 0)
        {
            signals.Notify(request.Queue);
        }

        return moved;
    }

}
