using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace Sinkron.Nodes.Locks;

/// <summary>Little-endian primitives shared by the command codec and the table snapshot.</summary>
internal static class LockBinary
{
    public static void WriteU8(IBufferWriter<byte> writer, byte value)
    {
        writer.GetSpan(1)[0] = value;
        writer.Advance(1);
    }

    public static void WriteU32(IBufferWriter<byte> writer, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(writer.GetSpan(4), value);
        writer.Advance(4);
    }

    public static void WriteU64(IBufferWriter<byte> writer, ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(writer.GetSpan(8), value);
        writer.Advance(8);
    }

    public static void WriteI64(IBufferWriter<byte> writer, long value) => WriteU64(writer, (ulong)value);

    /// <summary>u16 byte length, then UTF-8.</summary>
    public static void WriteName(IBufferWriter<byte> writer, string name)
    {
        var length = Encoding.UTF8.GetByteCount(name);
        var span = writer.GetSpan(2 + length);
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)length);
        Encoding.UTF8.GetBytes(name, span[2..]);
        writer.Advance(2 + length);
    }

    public static bool TryReadI64(ref SequenceReader<byte> reader, out long value) => reader.TryReadLittleEndian(out value);

    /// <summary>Reads a name written by <see cref="WriteName"/>; false with a reason when it is truncated, too long or not UTF-8.</summary>
    public static bool TryReadName(ref SequenceReader<byte> reader, out string name, out string? error)
    {
        name = "";
        if (!reader.TryReadLittleEndian(out short raw))
        {
            error = "truncated before the lock name";
            return false;
        }

        var length = (ushort)raw;
        if (length > LockCommand.MaxNameBytes)
        {
            error = $"lock name of {length} bytes exceeds {LockCommand.MaxNameBytes}";
            return false;
        }

        if (reader.Remaining < length)
        {
            error = "truncated inside the lock name";
            return false;
        }

        Span<byte> bytes = stackalloc byte[length];
        reader.TryCopyTo(bytes);
        reader.Advance(length);
        if (!Utf8.IsValid(bytes))
        {
            error = "lock name is not valid UTF-8";
            return false;
        }

        name = Encoding.UTF8.GetString(bytes);
        error = null;
        return true;
    }
}
