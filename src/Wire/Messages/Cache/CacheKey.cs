using System.Buffers;

namespace Sinkron.Wire.Messages.Cache;

/// <summary>
/// <c>short-bytes key</c>: the request of CACHE_GET and CACHE_DELETE. A decoded key is a view of
/// the receive buffer, valid only while the frame is being handled.
/// </summary>
public readonly record struct CacheKey(ReadOnlySequence<byte> Key) : IWireMessage<CacheKey>
{
    /// <inheritdoc />
    public static MessageType Type => MessageType.CacheGet;

    /// <inheritdoc />
    public int GetPayloadSize() => WireSize.ShortBytes((int)Key.Length);

    /// <inheritdoc />
    public void WritePayload(Span<byte> destination) => new SpanWriter(destination).WriteShortBytes(Key);

    /// <inheritdoc />
    public static bool TryRead(ReadOnlySequence<byte> payload, out CacheKey message)
    {
        var r = new SequenceReader<byte>(payload);
        var ok = WireReader.TryReadShortBytes(ref r, out var key) && r.End;
        message = new CacheKey(key);
        return ok;
    }
}
