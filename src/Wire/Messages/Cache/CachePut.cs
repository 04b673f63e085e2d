using System.Buffers;

namespace Sinkron.Wire.Messages.Cache;

/// <summary>
/// <c>short-bytes key | bytes value | u32 ttl ms (0 = no expiry)</c>. Decoded key and value are
/// views of the receive buffer, valid only while the frame is being handled.
/// </summary>
public readonly record struct CachePut(ReadOnlySequence<byte> Key, ReadOnlySequence<byte> Value, uint TtlMs) : IWireMessage<CachePut>
{
    /// <inheritdoc />
    public static MessageType Type => MessageType.CachePut;

    /// <inheritdoc />
    public int GetPayloadSize() => WireSize.ShortBytes((int)Key.Length) + WireSize.Bytes((int)Value.Length) + 4;

    /// <inheritdoc />
    public void WritePayload(Span<byte> destination)
    {
        var w = new SpanWriter(destination);
        w.WriteShortBytes(Key);
        w.WriteBytes(Value);
        w.WriteU32(TtlMs);
    }

    /// <inheritdoc />
    public static bool TryRead(ReadOnlySequence<byte> payload, out CachePut message)
    {
        var r = new SequenceReader<byte>(payload);
        message = default;
        if (!WireReader.TryReadShortBytes(ref r, out var key) || !WireReader.TryReadBytes(ref r, int.MaxValue, out var value)
            || !WireReader.TryReadU32(ref r, out var ttl) || !r.End)
        {
            return false;
        }

        message = new CachePut(key, value, ttl);
        return true;
    }
}
