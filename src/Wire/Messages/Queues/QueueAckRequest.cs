using System.Buffers;

namespace Sinkron.Wire.Messages.Queues;

/// <summary>
/// <c>string queue | string group | u16 count | string id × count</c>, sent as ACK (done with
/// these messages) or NACK (release them for redelivery now). Answered with a <see cref="QueueCount"/>.
/// </summary>
public sealed record QueueAckRequest(string Queue, string Group, IReadOnlyList<string> Ids) : IWireMessage<QueueAckRequest>
{
    /// <inheritdoc />
    public static MessageType Type => MessageType.QueueAck;

    /// <inheritdoc />
    public int GetPayloadSize() => WireSize.String(Queue) + WireSize.String(Group) + StringList.Size(Ids);

    /// <inheritdoc />
    public void WritePayload(Span<byte> destination)
    {
        var w = new SpanWriter(destination);
        w.WriteString(Queue);
        w.WriteString(Group);
        StringList.Write(ref w, Ids);
    }

    /// <inheritdoc />
    public static bool TryRead(ReadOnlySequence<byte> payload, out QueueAckRequest message)
    {
        var r = new SequenceReader<byte>(payload);
        message = null!;
        if (!WireReader.TryReadString(ref r, out var queue) || !WireReader.TryReadString(ref r, out var group)
            || !StringList.TryRead(ref r, out var ids) || !r.End)
        {
            return false;
        }

        message = new QueueAckRequest(queue, group, ids);
        return true;
    }
}
