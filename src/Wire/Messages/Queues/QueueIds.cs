using System.Buffers;

namespace Sinkron.Wire.Messages.Queues;

/// <summary><c>u16 count | string id × count</c>: the ids PRODUCE assigned, in order.</summary>
public sealed record QueueIds(IReadOnlyList<string> Ids) : IWireMessage<QueueIds>
{
    /// <inheritdoc />
    public static MessageType Type => MessageType.QueueProduce;

    /// <inheritdoc />
    public int GetPayloadSize() => StringList.Size(Ids);

    /// <inheritdoc />
    public void WritePayload(Span<byte> destination)
    {
        var w = new SpanWriter(destination);
        StringList.Write(ref w, Ids);
    }

    /// <inheritdoc />
    public static bool TryRead(ReadOnlySequence<byte> payload, out QueueIds message)
    {
        var r = new SequenceReader<byte>(payload);
        var ok = StringList.TryRead(ref r, out var ids) && r.End;
        message = new QueueIds(ids);
        return ok;
    }
}
