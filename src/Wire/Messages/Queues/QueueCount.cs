using System.Buffers;

namespace Sinkron.Wire.Messages.Queues;

/// <summary>
/// <c>u32 count</c>: the answer to CREATE GROUP (1 created, 0 existed), ACK and NACK (messages
/// affected) and REDRIVE (messages moved). The frame type is the request's.
/// </summary>
public readonly record struct QueueCount(uint Count) : IWireMessage<QueueCount>
{
    /// <inheritdoc />
    public static MessageType Type => MessageType.QueueAck;

    /// <inheritdoc />
    public int GetPayloadSize() => 4;

    /// <inheritdoc />
    public void WritePayload(Span<byte> destination) => new SpanWriter(destination).WriteU32(Count);

    /// <inheritdoc />
    public static bool TryRead(ReadOnlySequence<byte> payload, out QueueCount message)
    {
        var r = new SequenceReader<byte>(payload);
        var ok = WireReader.TryReadU32(ref r, out var count) && r.End;
        message = new QueueCount(count);
        return ok;
    }
}
