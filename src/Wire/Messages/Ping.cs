using System.Buffers;
using System.Buffers.Binary;

namespace Sinkron.Wire.Messages;

/// <summary><c>u64 token</c>. The node answers with a Ping response carrying the same token.</summary>
public readonly record struct Ping(ulong Token) : IWireMessage<Ping>
{
    /// <inheritdoc />
    public static MessageType Type => MessageType.Ping;

    /// <inheritdoc />
    public int GetPayloadSize() => 8;

    /// <inheritdoc />
    public void WritePayload(Span<byte> destination) => BinaryPrimitives.WriteUInt64LittleEndian(destination, Token);

    /// <inheritdoc />
    public static bool TryRead(ReadOnlySequence<byte> payload, out Ping message)
    {
        var r = new SequenceReader<byte>(payload);
        var ok = WireReader.TryReadU64(ref r, out var token) && r.End;
        message = new Ping(token);
        return ok;
    }
}
