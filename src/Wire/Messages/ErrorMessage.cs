using System.Buffers;

namespace Sinkron.Wire.Messages;

/// <summary>
/// <c>u16 code | string message | string hint</c>. The hint carries machine-readable detail:
/// the leader's address for <see cref="ErrorCode.NotLeader"/>, the cycle for <see cref="ErrorCode.Deadlock"/>.
/// </summary>
public readonly record struct ErrorMessage(ErrorCode Code, string Message, string Hint = "") : IWireMessage<ErrorMessage>
{
    /// <inheritdoc />
    public static MessageType Type => MessageType.Error;

    /// <inheritdoc />
    public int GetPayloadSize() => 2 + WireSize.String(Message) + WireSize.String(Hint);

    /// <inheritdoc />
    public void WritePayload(Span<byte> destination)
    {
        var w = new SpanWriter(destination);
        w.WriteU16((ushort)Code);
        w.WriteString(Message);
        w.WriteString(Hint);
    }

    /// <inheritdoc />
    public static bool TryRead(ReadOnlySequence<byte> payload, out ErrorMessage message)
    {
        var r = new SequenceReader<byte>(payload);
        message = default;
        if (!WireReader.TryReadU16(ref r, out var code) || !WireReader.TryReadString(ref r, out var text)
            || !WireReader.TryReadString(ref r, out var hint) || !r.End)
        {
            return false;
        }

        message = new ErrorMessage((ErrorCode)code, text, hint);
        return true;
    }
}
