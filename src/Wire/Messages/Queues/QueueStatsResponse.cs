using System.Buffers;

namespace Sinkron.Wire.Messages.Queues;

/// <summary>A consumer of a group: its name, pending count and idle time.</summary>
public sealed record ConsumerStats(string Name, ulong Pending, ulong IdleMs);

/// <summary>A consumer group of a queue.</summary>
public sealed record GroupStats(string Name, ulong Backlog, ulong Pending, IReadOnlyList<ConsumerStats> Consumers);

/// <summary>One queue: where it lives and what it holds.</summary>
public sealed record QueueStats(string Name, string Node, ulong Length, ulong DeadLetters, ulong Redeliveries, IReadOnlyList<GroupStats> Groups);

/// <summary>One Redis node behind the router.</summary>
public sealed record RedisNodeStats(string Id, string Address, bool Healthy, uint Queues, double KeyShare, string Error);

/// <summary>
/// <c>u16 queues × (string name | string node | u64 length | u64 dead letters | u64 redeliveries |
/// u16 groups × (string name | u64 backlog | u64 pending | u16 consumers × (string name | u64 pending | u64 idle ms)))
/// | u16 nodes × (string id | string address | u8 healthy | u32 queues | u32 key share ppm | string error)</c>.
/// </summary>
public sealed record QueueStatsResponse(IReadOnlyList<QueueStats> Queues, IReadOnlyList<RedisNodeStats> Nodes) : IWireMessage<QueueStatsResponse>
{
    /// <inheritdoc />
    public static MessageType Type => MessageType.QueueStats;

    /// <inheritdoc />
    public int GetPayloadSize()
    {
        var size = 4;
        foreach (var queue in Queues)
        {
            size += WireSize.String(queue.Name) + WireSize.String(queue.Node) + 24 + 2;
            foreach (var group in queue.Groups)
            {
                size += WireSize.String(group.Name) + 16 + 2;
                foreach (var consumer in group.Consumers)
                {
                    size += WireSize.String(consumer.Name) + 16;
                }
            }
        }

        foreach (var node in Nodes)
        {
            size += WireSize.String(node.Id) + WireSize.String(node.Address) + 1 + 4 + 4 + WireSize.String(node.Error);
        }

        return size;
    }

    /// <inheritdoc />
    public void WritePayload(Span<byte> destination)
    {
        var w = new SpanWriter(destination);
        w.WriteU16((ushort)Queues.Count);
        foreach (var queue in Queues)
        {
            w.WriteString(queue.Name);
            w.WriteString(queue.Node);
            w.WriteU64(queue.Length);
            w.WriteU64(queue.DeadLetters);
            w.WriteU64(queue.Redeliveries);
            w.WriteU16((ushort)queue.Groups.Count);
            foreach (var group in queue.Groups)
            {
                w.WriteString(group.Name);
                w.WriteU64(group.Backlog);
                w.WriteU64(group.Pending);
                w.WriteU16((ushort)group.Consumers.Count);
                foreach (var consumer in group.Consumers)
                {
                    w.WriteString(consumer.Name);
                    w.WriteU64(consumer.Pending);
                    w.WriteU64(consumer.IdleMs);
                }
            }
        }

        w.WriteU16((ushort)Nodes.Count);
        foreach (var node in Nodes)
        {
            w.WriteString(node.Id);
            w.WriteString(node.Address);
            w.WriteU8(node.Healthy ? (byte)1 : (byte)0);
            w.WriteU32(node.Queues);
            w.WriteU32((uint)Math.Round(node.KeyShare * 1_000_000));
            w.WriteString(node.Error);
        }
    }

    /// <inheritdoc />
    public static bool TryRead(ReadOnlySequence<byte> payload, out QueueStatsResponse message)
    {
        var r = new SequenceReader<byte>(payload);
        message = null!;
        if (!WireReader.TryReadU16(ref r, out var queueCount))
        {
            return false;
        }

        var queues = new List<QueueStats>(queueCount);
        for (var q = 0; q < queueCount; q++)
        {
            if (!WireReader.TryReadString(ref r, out var name) || !WireReader.TryReadString(ref r, out var node)
                || !WireReader.TryReadU64(ref r, out var length) || !WireReader.TryReadU64(ref r, out var dead)
                || !WireReader.TryReadU64(ref r, out var redeliveries) || !WireReader.TryReadU16(ref r, out var groupCount))
            {
                return false;
            }

            var groups = new List<GroupStats>(groupCount);
            for (var g = 0; g < groupCount; g++)
            {
                if (!WireReader.TryReadString(ref r, out var groupName) || !WireReader.TryReadU64(ref r, out var backlog)
                    || !WireReader.TryReadU64(ref r, out var pending) || !WireReader.TryReadU16(ref r, out var consumerCount))
                {
                    return false;
                }

                var consumers = new List<ConsumerStats>(consumerCount);
                for (var c = 0; c < consumerCount; c++)
                {
                    if (!WireReader.TryReadString(ref r, out var consumer) || !WireReader.TryReadU64(ref r, out var consumerPending)
                        || !WireReader.TryReadU64(ref r, out var idle))
                    {
                        return false;
                    }

                    consumers.Add(new ConsumerStats(consumer, consumerPending, idle));
                }

                groups.Add(new GroupStats(groupName, backlog, pending, consumers));
            }

            queues.Add(new QueueStats(name, node, length, dead, redeliveries, groups));
        }

        if (!WireReader.TryReadU16(ref r, out var nodeCount))
        {
            return false;
        }

        var nodes = new List<RedisNodeStats>(nodeCount);
        for (var n = 0; n < nodeCount; n++)
        {
            if (!WireReader.TryReadString(ref r, out var id) || !WireReader.TryReadString(ref r, out var address)
                || !WireReader.TryReadU8(ref r, out var healthy) || !WireReader.TryReadU32(ref r, out var count)
                || !WireReader.TryReadU32(ref r, out var share) || !WireReader.TryReadString(ref r, out var error))
            {
                return false;
            }

            nodes.Add(new RedisNodeStats(id, address, healthy != 0, count, share / 1_000_000.0, error));
        }

        message = new QueueStatsResponse(queues, nodes);
        return r.End;
    }
}
