using System.Buffers;

namespace Sinkron.Wire.Messages.Queues;

/// <summary><c>string queue</c> (empty = every queue the router knows).</summary>
public sealed record QueueStatsRequest(string Queue) : IWireMessage<QueueStatsRequest>
{
    /// <inheritdoc />
    public static MessageType Type => MessageType.QueueStats;

    /// <inheritdoc />
    public int GetPayloadSize() => WireSize.String(Queue);

    /// <inheritdoc />
    public void WritePayload(Span<byte> destination) => new SpanWriter(destination).WriteString(Queue);

    /// <inheritdoc />
    public static bool TryRead(ReadOnlySequence<byte> payload, out QueueStatsRequest message)
    {
        var r = new SequenceReader<byte>(payload);
        var ok = WireReader.TryReadString(ref r, out var queue) && r.End;
        message = new QueueStatsRequest(queue);
        return ok;
    }
}
