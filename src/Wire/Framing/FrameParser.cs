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
        if (buffer.Length < FrameHeader.Size)
        {
            return ParseStatus.Incomplete;
        }

        uint rawLength;
        var first = buffer.FirstSpan;
        if (first.Length >= FrameHeader.Size)
        {
            header = FrameHeader.Read(first, out rawLength);
        }
        else
        {
            // The header straddles segments: assemble it (rare; pipes hand over large segments).
            Span<byte> raw = stackalloc byte[FrameHeader.Size];
            buffer.Slice(0, FrameHeader.Size).CopyTo(raw);
            header = FrameHeader.Read(raw, out rawLength);
        }

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

        if (buffer.Length < rawLength)
        {
            return ParseStatus.Incomplete;
        }

        payload = buffer.Slice(FrameHeader.Size, rawLength - FrameHeader.Size);
        buffer = buffer.Slice(rawLength);
        return ParseStatus.Complete;
    }
}
