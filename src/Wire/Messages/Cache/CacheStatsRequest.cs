using System.Buffers;

namespace Sinkron.Wire.Messages.Cache;

/// <summary>An empty request for a <see cref="CacheStatsResponse"/>.</summary>
public readonly record struct CacheStatsRequest : IWireMessage<CacheStatsRequest>
{
    /// <inheritdoc />
    public static MessageType Type => MessageType.CacheStats;

    /// <inheritdoc />
    public int GetPayloadSize() => 0;

    /// <inheritdoc />
    public void WritePayload(Span<byte> destination)
    {
    }

    /// <inheritdoc />
    public static bool TryRead(ReadOnlySequence<byte> payload, out CacheStatsRequest message)
    {
        message = default;
        return payload.IsEmpty;
    }
}
