using System.Buffers.Binary;
using Sinkron.Wire.Messages;

namespace Sinkron.Wire.Framing;

/// <summary>
/// The fixed 16-byte header that starts every frame:
/// <c>u32 length | u16 type | u16 flags | u64 request id</c>, little-endian.
/// <c>length</c> counts the whole frame, header included, so it is never below <see cref="Size"/>.
/// </summary>
public readonly record struct FrameHeader(int Length, MessageType Type, FrameFlags Flags, ulong RequestId)
{
    /// <summary>Bytes in the header.</summary>
    public const int Size = 16;

    /// <summary>Bytes of payload that follow the header.</summary>
    public int PayloadLength => Length - Size;

    /// <summary>True when this frame answers a request.</summary>
    public bool IsResponse => (Flags & FrameFlags.Response) != 0;

    /// <summary>Writes the header into the first <see cref="Size"/> bytes of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)Length);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], (ushort)Type);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], (ushort)Flags);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], RequestId);
    }

    /// <summary>
    /// Reads a header from exactly <see cref="Size"/> bytes. The raw length is returned
    /// separately because a hostile peer can send any 32-bit value there.
    /// </summary>
    public static FrameHeader Read(ReadOnlySpan<byte> source, out uint rawLength)
    {
        rawLength = BinaryPrimitives.ReadUInt32LittleEndian(source);
        return new FrameHeader(
            (int)Math.Min(rawLength, int.MaxValue),
            (MessageType)BinaryPrimitives.ReadUInt16LittleEndian(source[4..]),
            (FrameFlags)BinaryPrimitives.ReadUInt16LittleEndian(source[6..]),
            BinaryPrimitives.ReadUInt64LittleEndian(source[8..]));
    }
}
