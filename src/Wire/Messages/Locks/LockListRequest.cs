using System.Buffers;

namespace Sinkron.Wire.Messages.Locks;

/// <summary><c>string prefix</c>: list the locks whose names start with it (empty = all).</summary>
public sealed record LockListRequest(string Prefix) : IWireMessage<LockListRequest>
{
    /// <inheritdoc />
    public static MessageType Type => MessageType.LockList;

    /// <inheritdoc />
    public int GetPayloadSize() => WireSize.String(Prefix);

    /// <inheritdoc />
    public void WritePayload(Span<byte> destination) => new SpanWriter(destination).WriteString(Prefix);

    /// <inheritdoc />
    public static bool TryRead(ReadOnlySequence<byte> payload, out LockListRequest message)
    {
        var r = new SequenceReader<byte>(payload);
        var ok = WireReader.TryReadString(ref r, out var prefix) && r.End;
        message = new LockListRequest(prefix);
        return ok;
    }
}
