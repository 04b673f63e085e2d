using System.Buffers;

namespace Sinkron.Wire.Messages;

/// <summary>An empty request; the node answers with an empty Ping response.</summary>
public readonly record struct Ping : IWireMessage<Ping>
{
    /// <inheritdoc />
    public static MessageType Type => MessageType.Ping;

    /// <inheritdoc />
    public int GetPayloadSize() => 0;

    /// <inheritdoc />
    public void WritePayload(Span<byte> destination)
    {
    }

    /// <inheritdoc />
    public static bool TryRead(ReadOnlySequence<byte> payload, out Ping message)
    {
        message = default;
        return payload.IsEmpty;
    }
}
