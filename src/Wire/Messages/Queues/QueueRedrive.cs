using System.Buffers;

namespace Sinkron.Wire.Messages.Queues;

/// <summary><c>string queue | u32 max</c>: move up to max dead letters back to the queue (admin only). Answered with a <see cref="QueueCount"/>.</summary>
public sealed record QueueRedrive(string Queue, uint Max) : IWireMessage<QueueRedrive>
{
    /// <inheritdoc />
    public static MessageType Type => MessageType.QueueRedrive;

    /// <inheritdoc />
    public int GetPayloadSize() => WireSize.String(Queue) + 4;

    /// <inheritdoc />
    public void WritePayload(Span<byte> destination)
    {
        var w = new SpanWriter(destination);
        w.WriteString(Queue);
        w.WriteU32(Max);
    }

    /// <inheritdoc />
    public static bool TryRead(ReadOnlySequence<byte> payload, out QueueRedrive message)
    {
        var r = new SequenceReader<byte>(payload);
        message = null!;
        if (!WireReader.TryReadString(ref r, out var queue) || !WireReader.TryReadU32(ref r, out var max) || !r.End)
        {
            return false;
        }

        message = new QueueRedrive(queue, max);
        return true;
    }
}
