using System.Buffers;
using Sinkron.Wire.Messages;

namespace Sinkron.Wire.Framing;

/// <summary>Encodes whole frames (header + payload) into any buffer writer.</summary>
public static class FrameWriter
{
    /// <summary>Writes one frame carrying <paramref name="message"/>. Generic over the struct so nothing boxes.</summary>
    public static void Write<T>(IBufferWriter<byte> output, ulong requestId, FrameFlags flags, in T message)
        where T : IWireMessage<T> => Write(output, T.Type, requestId, flags, message);

    /// <summary>
    /// Writes one frame of <paramref name="type"/> carrying <paramref name="message"/>: a response
    /// keeps its request's type even when its payload layout is shared with other types.
    /// </summary>
    public static void Write<T>(IBufferWriter<byte> output, MessageType type, ulong requestId, FrameFlags flags, in T message)
        where T : IWireMessage<T>
    {
        var payloadSize = message.GetPayloadSize();
        var length = FrameHeader.Size + payloadSize;
        var span = output.GetSpan(length);
        new FrameHeader(length, type, flags, requestId).Write(span);
        message.WritePayload(span.Slice(FrameHeader.Size, payloadSize));
        output.Advance(length);
    }

    /// <summary>Writes the answer to <paramref name="requestId"/>.</summary>
    public static void WriteResponse<T>(IBufferWriter<byte> output, ulong requestId, in T message)
        where T : IWireMessage<T> => Write(output, requestId, FrameFlags.Response, message);

    /// <summary>Writes an error answer to <paramref name="requestId"/>.</summary>
    public static void WriteError(IBufferWriter<byte> output, ulong requestId, ErrorCode code, string text, string hint = "")
        => Write(output, requestId, FrameFlags.Response, new ErrorMessage(code, text, hint));

    /// <summary>
    /// Starts a frame whose payload is written by a streaming encoder; <see cref="EndFrame"/>
    /// patches the length once the payload size is known.
    /// </summary>
    public static int BeginFrame(FrameBuffer output, MessageType type, FrameFlags flags, ulong requestId)
    {
        var start = output.WrittenCount;
        new FrameHeader(FrameHeader.Size, type, flags, requestId).Write(output.GetSpan(FrameHeader.Size));
        output.Advance(FrameHeader.Size);
        return start;
    }

    /// <summary>Patches the length of the frame begun at <paramref name="start"/>.</summary>
    public static void EndFrame(FrameBuffer output, int start)
    {
        var length = output.WrittenCount - start;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(output.WrittenRange(start, 4), (uint)length);
    }
}
