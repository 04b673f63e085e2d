using System.Buffers;

namespace Sinkron.Wire.Messages;

/// <summary>
/// A message with a fixed place in the protocol. Encoding writes exactly
/// <see cref="GetPayloadSize"/> bytes; decoding reads the whole payload and returns false on
/// malformed input instead of throwing. Static abstract members let generic callers
/// specialise per struct, so hot paths neither box nor dispatch virtually.
/// </summary>
public interface IWireMessage<TSelf> where TSelf : IWireMessage<TSelf>
{
    /// <summary>The frame type of this message.</summary>
    static abstract MessageType Type { get; }

    /// <summary>Exact number of payload bytes <see cref="WritePayload"/> writes.</summary>
    int GetPayloadSize();

    /// <summary>Writes the payload into <paramref name="destination"/>, which is exactly <see cref="GetPayloadSize"/> long.</summary>
    void WritePayload(Span<byte> destination);

    /// <summary>Decodes a whole payload.</summary>
    static abstract bool TryRead(ReadOnlySequence<byte> payload, out TSelf message);
}
