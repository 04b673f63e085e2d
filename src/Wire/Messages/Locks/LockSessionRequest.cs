using System.Buffers;

namespace Sinkron.Wire.Messages.Locks;

/// <summary>
/// <c>u64 client id | u64 session | u32 ttl ms</c>, sent as OPEN_SESSION (client id, ttl), KEEP_ALIVE
/// (session) or CLOSE_SESSION (session). Answered with a <see cref="LockReply"/>.
/// </summary>
public readonly record struct LockSessionRequest(ulong ClientId, ulong Session, uint TtlMs) : IWireMessage<LockSessionRequest>
{
    /// <inheritdoc />
    public static MessageType Type => MessageType.LockOpenSession;

    /// <inheritdoc />
    public int GetPayloadSize() => 20;

    /// <inheritdoc />
    public void WritePayload(Span<byte> destination)
    {
        var w = new SpanWriter(destination);
        w.WriteU64(ClientId);
        w.WriteU64(Session);
        w.WriteU32(TtlMs);
    }

    /// <inheritdoc />
    public static bool TryRead(ReadOnlySequence<byte> payload, out LockSessionRequest message)
    {
        var r = new SequenceReader<byte>(payload);
        message = default;
        if (!WireReader.TryReadU64(ref r, out var client) || !WireReader.TryReadU64(ref r, out var session)
            || !WireReader.TryReadU32(ref r, out var ttl) || !r.End)
        {
            return false;
        }

        message = new LockSessionRequest(client, session, ttl);
        return true;
    }
}
