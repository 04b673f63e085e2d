using System.Buffers;

namespace Sinkron.Wire.Messages.Queues;

/// <summary>
/// <c>string queue | string group | u8 from start</c>. From start: the group sees every message
/// already in the queue; otherwise only messages produced after it was created.
/// Response: <c>u8 created</c> (0 when the group already existed).
/// </summary>
public sealed record QueueCreateGroup(string Queue, string Group, bool FromStart) : IWireMessage<QueueCreateGroup>
{
    /// <inheritdoc />
    public static MessageType Type => MessageType.QueueCreateGroup;

    /// <inheritdoc />
    public int GetPayloadSize() => WireSize.String(Queue) + WireSize.String(Group) + 1;

    /// <inheritdoc />
    public void WritePayload(Span<byte> destination)
    {
        var w = new SpanWriter(destination);
        w.WriteString(Queue);
        w.WriteString(Group);
        w.WriteU8(FromStart ? (byte)1 : (byte)0);
    }

    /// <inheritdoc />
    public static bool TryRead(ReadOnlySequence<byte> payload, out QueueCreateGroup message)
    {
        var r = new SequenceReader<byte>(payload);
        message = null!;
        if (!WireReader.TryReadString(ref r, out var queue) || !WireReader.TryReadString(ref r, out var group)
            || !WireReader.TryReadU8(ref r, out var fromStart) || !r.End)
        {
            return false;
        }

        message = new QueueCreateGroup(queue, group, fromStart != 0);
        return true;
    }
}
