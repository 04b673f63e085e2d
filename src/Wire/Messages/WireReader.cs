using System.Buffers;
using System.Text;

namespace Sinkron.Wire.Messages;

/// <summary>
/// Little-endian field readers over <see cref="SequenceReader{T}"/> that work across segment
/// boundaries and return false on short input rather than throwing.
/// </summary>
public static class WireReader
{
    /// <summary>Reads one byte.</summary>
    public static bool TryReadU8(ref SequenceReader<byte> reader, out byte value) => reader.TryRead(out value);

    /// <summary>Reads a 16-bit value.</summary>
    public static bool TryReadU16(ref SequenceReader<byte> reader, out ushort value)
    {
        var ok = reader.TryReadLittleEndian(out short raw);
        value = (ushort)raw;
        return ok;
    }

    /// <summary>Reads a 32-bit value.</summary>
    public static bool TryReadU32(ref SequenceReader<byte> reader, out uint value)
    {
        var ok = reader.TryReadLittleEndian(out int raw);
        value = (uint)raw;
        return ok;
    }

    /// <summary>Reads a 64-bit value.</summary>
    public static bool TryReadU64(ref SequenceReader<byte> reader, out ulong value)
    {
        var ok = reader.TryReadLittleEndian(out long raw);
        value = (ulong)raw;
        return ok;
    }

    /// <summary>Slices a u16-prefixed field without copying; valid as long as the underlying buffer.</summary>
    public static bool TryReadShortBytes(ref SequenceReader<byte> reader, out ReadOnlySequence<byte> value)
    {
        value = default;
        return TryReadU16(ref reader, out var length) && TrySlice(ref reader, length, out value);
    }

    /// <summary>Slices a u32-prefixed field without copying.</summary>
    public static bool TryReadBytes(ref SequenceReader<byte> reader, int maxLength, out ReadOnlySequence<byte> value)
    {
        value = default;
        return TryReadU32(ref reader, out var length) && length <= (uint)maxLength && TrySlice(ref reader, (int)length, out value);
    }

    /// <summary>Reads a u16-prefixed UTF-8 string (allocates the string).</summary>
    public static bool TryReadString(ref SequenceReader<byte> reader, out string value)
    {
        value = string.Empty;
        if (!TryReadU16(ref reader, out var length) || reader.Remaining < length)
        {
            return false;
        }

        try
        {
            // Fast path: the string lies in the current segment (almost always), so no slice is built.
            var unread = reader.UnreadSpan;
            if (unread.Length >= length)
            {
                value = length == 0 ? string.Empty : Utf8.GetString(unread[..length]);
            }
            else
            {
                value = Utf8.GetString(reader.Sequence.Slice(reader.Position, length));
            }

            reader.Advance(length);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static bool TrySlice(ref SequenceReader<byte> reader, int length, out ReadOnlySequence<byte> value)
    {
        if (reader.Remaining < length)
        {
            value = default;
            return false;
        }

        value = reader.Sequence.Slice(reader.Position, length);
        reader.Advance(length);
        return true;
    }

    /// <summary>Strict UTF-8: invalid bytes are a malformed payload, not replacement characters.</summary>
    public static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
