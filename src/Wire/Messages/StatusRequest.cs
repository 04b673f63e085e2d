using System.Buffers;

namespace Sinkron.Wire.Messages;

/// <summary>An empty request for a <see cref="StatusResponse"/>.</summary>
public readonly record struct StatusRequest : IWireMessage<StatusRequest>
{
    /// <inheritdoc />
    public static MessageType Type => MessageType.Status;

    /// <inheritdoc />
    public int GetPayloadSize() => 0;

    /// <inheritdoc />
    public void WritePayload(Span<byte> destination)
    {
    }

    /// <inheritdoc />
    public static bool TryRead(ReadOnlySequence<byte> payload, out StatusRequest message)
    {
        message = default;
        return payload.IsEmpty;
    }
}
