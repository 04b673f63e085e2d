using System.Buffers;
using Sinkron.Wire.Messages;

namespace Sinkron.Wire.Framing;

/// <summary>What <see cref="FrameParser.TryParse"/> found at the start of a buffer.</summary>
public enum ParseStatus
{
    /// <summary>A whole frame was sliced off the buffer.</summary>
    Complete,

    /// <summary>More bytes are needed; nothing was consumed.</summary>
    Incomplete,

    /// <summary>The header is unacceptable; the connection must be closed.</summary>
    Invalid,
}

/// <summary>
/// Pure frame parsing: no I/O, so it can be tested on any split of a buffer.
/// The size cap is checked on the header alone, before waiting for a body that may never come.
/// </summary>
public static class FrameParser
{
    /// <summary>
    /// Slices one frame off the front of <paramref name="buffer"/>. On <see cref="ParseStatus.Complete"/>
    /// <paramref name="buffer"/> is advanced past the frame and <paramref name="payload"/> aliases it.
    /// </summary>
    public static ParseStatus TryParse(
        ref ReadOnlySequence<byte> buffer,
        int maxFrameBytes,
        out FrameHeader header,
        out ReadOnlySequence<byte> payload,
        out ErrorCode error)
    {
        payload = default;
        error = ErrorCode.None;
        header = default;
        var first = buffer.FirstSpan;
        if (first.Length == buffer.Length)
        {
            // One segment, the usual case: everything is checked against one span.
            return first.Length < FrameHeader.Size
                ? ParseStatus.Incomplete
                : SliceFrame(ref buffer, FrameHeader.Read(first, out var length), length, first.Length, maxFrameBytes, out header, out payload, out error);
        }

        if (buffer.Length < FrameHeader.Size)
        {
            return ParseStatus.Incomplete;
        }

        uint rawLength;
        FrameHeader read;
        if (first.Length >= FrameHeader.Size)
        {
            read = FrameHeader.Read(first, out rawLength);
        }
        else
        {
            // The header straddles segments: assemble it (rare; pipes hand over large segments).
            Span<byte> raw = stackalloc byte[FrameHeader.Size];
            buffer.Slice(0, FrameHeader.Size).CopyTo(raw);
            read = FrameHeader.Read(raw, out rawLength);
        }

        return SliceFrame(ref buffer, read, rawLength, buffer.Length, maxFrameBytes, out header, out payload, out error);
    }

    /// <summary>Checks the header's length against the cap and the bytes <paramref name="available"/>, then slices.</summary>
    private static ParseStatus SliceFrame(
        ref ReadOnlySequence<byte> buffer,
        in FrameHeader read,
        uint rawLength,
        long available,
        int maxFrameBytes,
        out FrameHeader header,
        out ReadOnlySequence<byte> payload,
        out ErrorCode error)
    {
        header = read;
        payload = default;
        error = ErrorCode.None;
        if (rawLength < FrameHeader.Size)
        {
            error = ErrorCode.BadFrame;
            return ParseStatus.Invalid;
        }

        if (rawLength > (uint)maxFrameBytes)
        {
            error = ErrorCode.FrameTooLarge;
            return ParseStatus.Invalid;
        }

        if (available < rawLength)
        {
            return ParseStatus.Incomplete;
        }

        payload = buffer.Slice(FrameHeader.Size, rawLength - FrameHeader.Size);
        buffer = buffer.Slice(rawLength);
        return ParseStatus.Complete;
    }
}
