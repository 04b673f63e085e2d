using System.Buffers;
using System.Buffers.Binary;

namespace Sinkron.Nodes.Raft.Storage;

/// <summary>
/// One WAL record: <c>u32 length | u32 crc32c | payload</c>, little-endian, where length and crc cover the payload
/// and the payload starts with a <see cref="WalRecordType"/>.
/// </summary>
internal readonly record struct WalRecord(WalRecordType Type, LogEntry Entry, ulong TruncateFrom, HardState HardState)
{
    public const int HeaderSize = 8;

    /// <summary>Larger lengths are never written, so reading one means damage, not a big entry.</summary>
    public const int MaxPayload = 256 * 1024 * 1024;

    private const int EntryFixedSize = 1 + 8 + 8 + 1;

    public static int EntrySize(in LogEntry entry) => HeaderSize + EntryFixedSize + entry.Data.Length;

    public static void WriteEntry(IBufferWriter<byte> writer, in LogEntry entry)
    {
        var payload = Begin(writer, EntryFixedSize + entry.Data.Length, out var span);
        payload[0] = (byte)WalRecordType.Entry;
        BinaryPrimitives.WriteUInt64LittleEndian(payload[1..], entry.Index);
        BinaryPrimitives.WriteUInt64LittleEndian(payload[9..], entry.Term);
        payload[17] = (byte)entry.Kind;
        entry.Data.Span.CopyTo(payload[EntryFixedSize..]);
        End(writer, span, payload);
    }

    public static void WriteTruncate(IBufferWriter<byte> writer, ulong fromIndex)
    {
        var payload = Begin(writer, 9, out var span);
        payload[0] = (byte)WalRecordType.Truncate;
        BinaryPrimitives.WriteUInt64LittleEndian(payload[1..], fromIndex);
        End(writer, span, payload);
    }

    public static void WriteHardState(IBufferWriter<byte> writer, HardState state)
    {
        var payload = Begin(writer, 25, out var span);
        payload[0] = (byte)WalRecordType.HardState;
        BinaryPrimitives.WriteUInt64LittleEndian(payload[1..], state.Term);
        BinaryPrimitives.WriteUInt64LittleEndian(payload[9..], state.VotedFor);
        BinaryPrimitives.WriteUInt64LittleEndian(payload[17..], state.Commit);
        End(writer, span, payload);
    }

    /// <summary>
    /// Reads the record at <paramref name="offset"/>. Entry data is copied out, so the result does not pin the file
    /// buffer. Returns why the bytes are not a record, or null.
    /// </summary>
    public static string? TryRead(ReadOnlySpan<byte> file, int offset, out WalRecord record, out int next)
    {
        record = default;
        next = offset;
        if (file.Length - offset < HeaderSize)
        {
            return $"{file.Length - offset} bytes left, less than a record header";
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(file[offset..]);
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(file[(offset + 4)..]);
        if (length == 0 || length > MaxPayload)
        {
            return $"impossible record length {length}";
        }

        if (length > file.Length - offset - HeaderSize)
        {
            return $"record length {length} runs past the end of the file";
        }

        var payload = file.Slice(offset + HeaderSize, (int)length);
        if (Crc32C.Compute(payload) != crc)
        {
            return "checksum mismatch";
        }

        next = offset + HeaderSize + (int)length;
        return TryParsePayload(payload, out record);
    }

    private static string? TryParsePayload(ReadOnlySpan<byte> payload, out WalRecord record)
    {
        record = default;
        switch ((WalRecordType)payload[0])
        {
            case WalRecordType.Entry when payload.Length >= EntryFixedSize && payload[17] <= (byte)EntryKind.Load:
                var entry = new LogEntry(
                    BinaryPrimitives.ReadUInt64LittleEndian(payload[1..]),
                    BinaryPrimitives.ReadUInt64LittleEndian(payload[9..]),
                    (EntryKind)payload[17],
                    payload[EntryFixedSize..].ToArray());
                record = new WalRecord(WalRecordType.Entry, entry, 0, default);
                return null;
            case WalRecordType.Truncate when payload.Length == 9:
                record = new WalRecord(WalRecordType.Truncate, default, BinaryPrimitives.ReadUInt64LittleEndian(payload[1..]), default);
                return null;
            case WalRecordType.HardState when payload.Length == 25:
                var state = new HardState(
                    BinaryPrimitives.ReadUInt64LittleEndian(payload[1..]),
                    BinaryPrimitives.ReadUInt64LittleEndian(payload[9..]),
                    BinaryPrimitives.ReadUInt64LittleEndian(payload[17..]));
                record = new WalRecord(WalRecordType.HardState, default, 0, state);
                return null;
            default:
                return $"checksum valid but payload malformed (type {payload[0]}, {payload.Length} bytes)";
        }
    }

    private static Span<byte> Begin(IBufferWriter<byte> writer, int payloadLength, out Span<byte> span)
    {
        span = writer.GetSpan(HeaderSize + payloadLength)[..(HeaderSize + payloadLength)];
        return span[HeaderSize..];
    }

    private static void End(IBufferWriter<byte> writer, Span<byte> span, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)payload.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], Crc32C.Compute(payload));
        writer.Advance(span.Length);
    }
}
