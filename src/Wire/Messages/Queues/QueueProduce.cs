using System.Buffers;

namespace Sinkron.Wire.Messages.Queues;

/// <summary>
/// <c>string queue | u32 max length (0 = unbounded) | u16 count | bytes body × count</c>.
/// Retention by max length never drops entries a consumer group has not acknowledged.
/// </summary>
public sealed record QueueProduce(string Queue, uint MaxLength, IReadOnlyList<ReadOnlyMemory<byte>> Bodies) : IWireMessage<QueueProduce>
{
    /// <summary>Most messages one PRODUCE may carry.</summary>
    public const int MaxBatch = 4096;

    /// <inheritdoc />
    public static MessageType Type => MessageType.QueueProduce;

    /// <inheritdoc />
    public int GetPayloadSize()
    {
        var size = WireSize.String(Queue) + 4 + 2;
        foreach (var body in Bodies)
        {
            size += WireSize.Bytes(body.Length);
        }

        return size;
    }

    /// <inheritdoc />
    public void WritePayload(Span<byte> destination)
    {
        var w = new SpanWriter(destination);
        w.WriteString(Queue);
        w.WriteU32(MaxLength);
        w.WriteU16((ushort)Bodies.Count);
        foreach (var body in Bodies)
        {
            w.WriteBytes(body.Span);
        }
    }

    /// <inheritdoc />
    public static bool TryRead(ReadOnlySequence<byte> payload, out QueueProduce message)
    {
        var r = new SequenceReader<byte>(payload);
        message = null!;
        if (!WireReader.TryReadString(ref r, out var queue) || !WireReader.TryReadU32(ref r, out var maxLength)
            || !WireReader.TryReadU16(ref r, out var count) || count > MaxBatch)
        {
            return false;
        }

        var bodies = new ReadOnlyMemory<byte>[count];
        for (var i = 0; i < count; i++)
        {
            if (!WireReader.TryReadBytes(ref r, int.MaxValue, out var body))
            {
                return false;
            }

            bodies[i] = body.ToArray();
        }

        message = new QueueProduce(queue, maxLength, bodies);
        return r.End;
    }
}
