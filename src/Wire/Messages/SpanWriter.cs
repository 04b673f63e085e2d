using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Sinkron.Wire.Messages;

/// <summary>
/// Sequential little-endian writer over a span whose size the caller computed beforehand
/// with <see cref="WireSize"/>. Strings and byte blobs are prefixed by their length.
/// </summary>
public ref struct SpanWriter(Span<byte> destination)
{
    private readonly Span<byte> _destination = destination;
    private int _position;

    /// <summary>Bytes written so far.</summary>
    public readonly int Position => _position;

    /// <summary>Writes one byte.</summary>
    public void WriteU8(byte value) => _destination[_position++] = value;

    /// <summary>Writes a 16-bit value.</summary>
    public void WriteU16(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_destination[_position..], value);
        _position += 2;
    }

    /// <summary>Writes a 32-bit value.</summary>
    public void WriteU32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_destination[_position..], value);
        _position += 4;
    }

    /// <summary>Writes a 64-bit value.</summary>
    public void WriteU64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_destination[_position..], value);
        _position += 8;
    }

    /// <summary>Writes a u16 byte count and the UTF-8 bytes of <paramref name="value"/>.</summary>
    public void WriteString(string value)
    {
        var count = Encoding.UTF8.GetBytes(value, _destination[(_position + 2)..]);
        WriteU16((ushort)count);
        _position += count;
    }

    /// <summary>Writes a u16 byte count and <paramref name="value"/> (for names already in UTF-8).</summary>
    public void WriteShortBytes(ReadOnlySpan<byte> value)
    {
        WriteU16((ushort)value.Length);
        value.CopyTo(_destination[_position..]);
        _position += value.Length;
    }

    /// <summary>Writes a u32 byte count and <paramref name="value"/>.</summary>
    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteU32((uint)value.Length);
        value.CopyTo(_destination[_position..]);
        _position += value.Length;
    }

    /// <summary>Writes a u16 byte count and <paramref name="value"/>, which may span segments.</summary>
    public void WriteShortBytes(in ReadOnlySequence<byte> value)
    {
        WriteU16((ushort)value.Length);
        value.CopyTo(_destination[_position..]);
        _position += (int)value.Length;
    }

    /// <summary>Writes a u32 byte count and <paramref name="value"/>, which may span segments.</summary>
    public void WriteBytes(in ReadOnlySequence<byte> value)
    {
        WriteU32((uint)value.Length);
        value.CopyTo(_destination[_position..]);
        _position += (int)value.Length;
    }
}
