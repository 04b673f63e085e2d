using System.Buffers;

namespace Sinkron.Wire.Messages.Locks;

/// <summary>
/// <c>u8 outcome | u64 value | string detail</c>: the answer to every lock request. The value is the fencing
/// token (Granted), the session id (SessionOpened) or the lease deadline (KeptAlive); the detail names the
/// cycle of a Deadlock ("7 -> 9 -> 7") or explains a refusal.
/// </summary>
public readonly record struct LockReply(LockOutcome Outcome, ulong Value, string Detail) : IWireMessage<LockReply>
{
    /// <inheritdoc />
    public static MessageType Type => MessageType.LockAcquire;

    /// <inheritdoc />
    public int GetPayloadSize() => 9 + WireSize.String(Detail);

    /// <inheritdoc />
    public void WritePayload(Span<byte> destination)
    {
        var w = new SpanWriter(destination);
        w.WriteU8((byte)Outcome);
        w.WriteU64(Value);
        w.WriteString(Detail);
    }

    /// <inheritdoc />
    public static bool TryRead(ReadOnlySequence<byte> payload, out LockReply message)
    {
        var r = new SequenceReader<byte>(payload);
        message = default;
        if (!WireReader.TryReadU8(ref r, out var outcome) || !WireReader.TryReadU64(ref r, out var value)
            || !WireReader.TryReadString(ref r, out var detail) || !r.End)
        {
            return false;
        }

        message = new LockReply((LockOutcome)outcome, value, detail);
        return true;
    }
}
