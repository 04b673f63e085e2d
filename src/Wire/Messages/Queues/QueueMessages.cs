using System.Buffers;

namespace Sinkron.Wire.Messages.Queues;

/// <summary><c>u16 count | (string id | u32 delivery count | bytes body) × count</c>: the answer to CONSUME.</summary>
public sealed record QueueMessages(IReadOnlyList<QueueMessage> Messages) : IWireMessage<QueueMessages>
{
    /// <inheritdoc />
    public static MessageType Type => MessageType.QueueConsume;

    /// <inheritdoc />
    public int GetPayloadSize()
    {
        var size = 2;
        foreach (var message in Messages)
        {
            size += WireSize.String(message.Id) + 4 + WireSize.Bytes(message.Body.Length);
        }

        return size;
    }

    /// <inheritdoc />
    public void WritePayload(Span<byte> destination)
    {
        var w = new SpanWriter(destination);
        w.WriteU16((ushort)Messages.Count);
        foreach (var message in Messages)
        {
            w.WriteString(message.Id);
            w.WriteU32(message.DeliveryCount);
            w.WriteBytes(message.Body.Span);
        }
    }

    /// <inheritdoc />
    public static bool TryRead(ReadOnlySequence<byte> payload, out QueueMessages message)
    {
        var r = new SequenceReader<byte>(payload);
        message = null!;
        if (!WireReader.TryReadU16(ref r, out var count))
        {
            return false;
        }

        var list = new QueueMessage[count];
        for (var i = 0; i < count; i++)
        {
            if (!WireReader.TryReadString(ref r, out var id) || !WireReader.TryReadU32(ref r, out var deliveries)
                || !WireReader.TryReadBytes(ref r, int.MaxValue, out var body))
            {
                return false;
            }

            list[i] = new QueueMessage(id, deliveries, body.ToArray());
        }

        message = new QueueMessages(list);
        return r.End;
    }
}
