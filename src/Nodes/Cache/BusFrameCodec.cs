using System.Buffers;
using System.Buffers.Binary;

namespace Sinkron.Nodes.Cache;

internal enum BusReadStatus : byte
{
    Ok = 0,

    /// <summary>The frame is not all there yet; read more and try again.</summary>
    Incomplete = 1,

    /// <summary>The bytes are not a bus frame; the connection cannot be trusted any further.</summary>
    Invalid = 2,
}

/// <summary>
/// Bus frames, little-endian:
/// <c>u32 length | u8 type | u8 flags | u16 from | u16 to | u16 key length | u32 value length | u64 version | key | value</c>,
/// where length counts every byte after itself. Neither direction allocates: writing copies
/// into the writer's buffer; reading slices the input, so a decoded message's key and value are
/// valid only until the reader's buffer is released (<c>PipeReader.AdvanceTo</c>).
/// </summary>
internal static class BusFrameCodec
{
    public const int HeaderSize = 24;
    public const int MaxKeyBytes = 1024;
    public const int MaxValueBytes = 1024 * 1024;

    private const int LengthFieldSize = 4;

    public static void Write(IBufferWriter<byte> writer, in BusMessage message)
    {
        var keyLength = message.Key.Length;
        var valueLength = message.Value.Length;
        if (keyLength > MaxKeyBytes || valueLength > MaxValueBytes)
        {
            throw new ArgumentException($"A bus frame carries at most {MaxKeyBytes} key bytes and {MaxValueBytes} value bytes.", nameof(message));
        }

        var header = writer.GetSpan(HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(header, (uint)(HeaderSize - LengthFieldSize + keyLength + valueLength));
        header[4] = (byte)message.Type;
        header[5] = (byte)message.Flags;
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], message.From);
        BinaryPrimitives.WriteUInt16LittleEndian(header[8..], message.To);
        BinaryPrimitives.WriteUInt16LittleEndian(header[10..], (ushort)keyLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], (uint)valueLength);
        BinaryPrimitives.WriteUInt64LittleEndian(header[16..], message.Version);
        writer.Advance(HeaderSize);
        Copy(writer, message.Key);
        Copy(writer, message.Value);
    }

    /// <summary>Reads one frame; false when it is incomplete or invalid (use <see cref="Read"/> to tell which). Never throws.</summary>
    public static bool TryRead(ref SequenceReader<byte> reader, out BusMessage message) =>
        Read(ref reader, out message) == BusReadStatus.Ok;

    /// <summary>Reads one frame and advances past it; on anything but Ok the reader is left where it was.</summary>
    public static BusReadStatus Read(ref SequenceReader<byte> reader, out BusMessage message)
    {
        message = default;
        if (reader.Remaining < HeaderSize)
        {
            return BusReadStatus.Incomplete;
        }

        Span<byte> header = stackalloc byte[HeaderSize];
        reader.TryCopyTo(header);
        var length = BinaryPrimitives.ReadUInt32LittleEndian(header);
        var type = header[4];
        var flags = header[5];
        var from = BinaryPrimitives.ReadUInt16LittleEndian(header[6..]);
        var to = BinaryPrimitives.ReadUInt16LittleEndian(header[8..]);
        var keyLength = BinaryPrimitives.ReadUInt16LittleEndian(header[10..]);
        var valueLength = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        var version = BinaryPrimitives.ReadUInt64LittleEndian(header[16..]);

        // Validate the header before waiting for a body it announces, so garbage cannot make us buffer.
        if (!BusMessageTypes.IsDefined(type) || (flags & ~(byte)BusFlags.All) != 0
            || keyLength > MaxKeyBytes || valueLength > MaxValueBytes
            || length != (ulong)(HeaderSize - LengthFieldSize) + keyLength + valueLength)
        {
            return BusReadStatus.Invalid;
        }

        if (reader.Remaining < HeaderSize + keyLength + valueLength)
        {
            return BusReadStatus.Incomplete;
        }

        reader.Advance(HeaderSize);
        var key = reader.UnreadSequence.Slice(0, keyLength);
        reader.Advance(keyLength);
        var value = reader.UnreadSequence.Slice(0, valueLength);
        reader.Advance(valueLength);
        message = new BusMessage((BusMessageType)type, from, to, version, (BusFlags)flags, key, value);
        return BusReadStatus.Ok;
    }

    private static void Copy(IBufferWriter<byte> writer, in ReadOnlySequence<byte> source)
    {
        foreach (var segment in source)
        {
            writer.Write(segment.Span);
        }
    }
}
