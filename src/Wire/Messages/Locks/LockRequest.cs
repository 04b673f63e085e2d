using System.Buffers;
using System.Buffers.Binary;

namespace Sinkron.Wire.Messages.Locks;

/// <summary>
/// <c>u64 session | u64 seq | u64 acked below | short-bytes name (UTF-8) | u8 mode | i64 wait ms</c>, sent as
/// ACQUIRE or RELEASE (mode and wait ignored). <c>seq</c> identifies the request within the session so a
/// retry is applied once; <c>acked below</c> is the lowest seq the client still awaits (older results may be
/// forgotten). Mode: 0 shared, 1 exclusive. Wait: 0 = try once, -1 = wait without limit.
/// The name stays a slice of the receive buffer: decoding allocates nothing.
/// </summary>
public readonly record struct LockRequest(ulong Session, ulong Seq, ulong AckedBelow, ReadOnlySequence<byte> Name, byte Mode, long WaitMs)
    : IWireMessage<LockRequest>
{
    /// <summary>Longest lock name in UTF-8 bytes.</summary>
    public const int MaxNameBytes = 512;

    /// <inheritdoc />
    public static MessageType Type => MessageType.LockAcquire;

    /// <inheritdoc />
    public int GetPayloadSize() => 24 + WireSize.ShortBytes((int)Name.Length) + 1 + 8;

    /// <inheritdoc />
    public void WritePayload(Span<byte> destination)
    {
        var w = new SpanWriter(destination);
        w.WriteU64(Session);
        w.WriteU64(Seq);
        w.WriteU64(AckedBelow);
        if (Name.IsSingleSegment)
        {
            w.WriteShortBytes(Name.FirstSpan);
        }
        else
        {
            w.WriteU16((ushort)Name.Length);
            Name.CopyTo(destination[w.Position..]);
            w = new SpanWriter(destination[(w.Position + (int)Name.Length)..]);
        }

        w.WriteU8(Mode);
        w.WriteU64((ulong)WaitMs);
    }

    /// <inheritdoc />
    public static bool TryRead(ReadOnlySequence<byte> payload, out LockRequest message)
    {
        if (payload.IsSingleSegment)
        {
            return TryReadSpan(payload, out message);
        }

        var r = new SequenceReader<byte>(payload);
        message = default;
        if (!WireReader.TryReadU64(ref r, out var session) || !WireReader.TryReadU64(ref r, out var seq)
            || !WireReader.TryReadU64(ref r, out var acked) || !WireReader.TryReadShortBytes(ref r, out var name)
            || name.Length > MaxNameBytes || !WireReader.TryReadU8(ref r, out var mode) || mode > 1
            || !WireReader.TryReadU64(ref r, out var wait) || !r.End)
        {
            return false;
        }

        message = new LockRequest(session, seq, acked, name, mode, (long)wait);
        return true;
    }

    // The common case, a payload in one segment, read with plain span arithmetic.
    private static bool TryReadSpan(ReadOnlySequence<byte> payload, out LockRequest message)
    {
        message = default;
        var span = payload.FirstSpan;
        if (span.Length < 26)
        {
            return false;
        }

        var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(span[24..]);
        if (nameLength > MaxNameBytes || span.Length != 26 + nameLength + 9 || span[26 + nameLength] > 1)
        {
            return false;
        }

        message = new LockRequest(
            BinaryPrimitives.ReadUInt64LittleEndian(span),
            BinaryPrimitives.ReadUInt64LittleEndian(span[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(span[16..]),
            payload.Slice(26, nameLength),
            span[26 + nameLength],
            BinaryPrimitives.ReadInt64LittleEndian(span[(27 + nameLength)..]));
        return true;
    }
}
