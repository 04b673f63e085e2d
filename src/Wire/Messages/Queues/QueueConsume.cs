using System.Buffers;

namespace Sinkron.Wire.Messages.Queues;

/// <summary>
/// <c>string queue | string group | string consumer | u16 max count | u32 wait ms | u8 replay pending</c>.
/// With replay pending (a consumer's first read after it started), the consumer's own
/// unacknowledged entries come first. Wait &gt; 0 long-polls until a message arrives or it ends.
/// </summary>
public sealed record QueueConsume(string Queue, string Group, string Consumer, ushort MaxCount, uint WaitMs, bool ReplayPending)
    : IWireMessage<QueueConsume>
{
    /// <inheritdoc />
    public static MessageType Type => MessageType.QueueConsume;

    /// <inheritdoc />
    public int GetPayloadSize() => WireSize.String(Queue) + WireSize.String(Group) + WireSize.String(Consumer) + 2 + 4 + 1;

    /// <inheritdoc />
    public void WritePayload(Span<byte> destination)
    {
        var w = new SpanWriter(destination);
        w.WriteString(Queue);
        w.WriteString(Group);
        w.WriteString(Consumer);
        w.WriteU16(MaxCount);
        w.WriteU32(WaitMs);
        w.WriteU8(ReplayPending ? (byte)1 : (byte)0);
    }

    /// <inheritdoc />
    public static bool TryRead(ReadOnlySequence<byte> payload, out QueueConsume message)
    {
        var r = new SequenceReader<byte>(payload);
        message = null!;
        if (!WireReader.TryReadString(ref r, out var queue) || !WireReader.TryReadString(ref r, out var group)
            || !WireReader.TryReadString(ref r, out var consumer) || !WireReader.TryReadU16(ref r, out var max)
            || !WireReader.TryReadU32(ref r, out var wait) || !WireReader.TryReadU8(ref r, out var replay) || !r.End)
        {
            return false;
        }

        message = new QueueConsume(queue, group, consumer, max, wait, replay != 0);
        return true;
    }
}
