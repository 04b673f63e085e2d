using System.Buffers;

namespace Sinkron.Wire.Messages;

/// <summary>
/// First frame each way: <c>u16 version | u8 role | string node id</c>.
/// A client sends an empty node id; a node answers with its own.
/// </summary>
public readonly record struct Hello(ushort Version, PeerRole Role, string NodeId) : IWireMessage<Hello>
{
    /// <summary>The protocol version this build speaks.</summary>
    public const ushort CurrentVersion = 1;

    /// <inheritdoc />
    public static MessageType Type => MessageType.Hello;

    /// <inheritdoc />
    public int GetPayloadSize() => 3 + WireSize.String(NodeId);

    /// <inheritdoc />
    public void WritePayload(Span<byte> destination)
    {
        var w = new SpanWriter(destination);
        w.WriteU16(Version);
        w.WriteU8((byte)Role);
        w.WriteString(NodeId);
    }

    /// <inheritdoc />
    public static bool TryRead(ReadOnlySequence<byte> payload, out Hello message)
    {
        var r = new SequenceReader<byte>(payload);
        message = default;
        if (!WireReader.TryReadU16(ref r, out var version) || !WireReader.TryReadU8(ref r, out var role)
            || !WireReader.TryReadString(ref r, out var nodeId) || !r.End)
        {
            return false;
        }

        message = new Hello(version, (PeerRole)role, nodeId);
        return true;
    }
}
