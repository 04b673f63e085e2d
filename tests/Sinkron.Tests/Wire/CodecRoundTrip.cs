using System.Buffers;
using Sinkron.Tests.Infrastructure;
using Sinkron.Wire.Framing;
using Sinkron.Wire.Messages;

namespace Sinkron.Tests.Wire;

/// <summary>Encodes a message as a frame and decodes it back through every segment size.</summary>
internal static class CodecRoundTrip
{
    public static IEnumerable<T> Decode<T>(in T message, ulong requestId = 42) where T : IWireMessage<T>
    {
        var buffer = new ArrayBufferWriter<byte>();
        FrameWriter.Write(buffer, requestId, FrameFlags.None, message);
        var bytes = buffer.WrittenMemory.ToArray();
        var results = new List<T>();
        foreach (var size in (int[])[1, 2, 3, 7, 16, bytes.Length])
        {
            var sequence = Sequences.Split(bytes, size);
            Assert.Equal(ParseStatus.Complete, FrameParser.TryParse(ref sequence, 1 << 20, out var header, out var payload, out _));
            Assert.True(sequence.IsEmpty);
            Assert.Equal(T.Type, header.Type);
            Assert.Equal(requestId, header.RequestId);
            Assert.Equal(bytes.Length, header.Length);
            Assert.True(T.TryRead(payload, out var decoded), $"decode failed at segment size {size}");
            results.Add(decoded);

            // Every strict prefix of the payload must be rejected, never half-read.
            if (payload.Length > 0)
            {
                Assert.False(T.TryRead(payload.Slice(0, payload.Length - 1), out _));
            }
        }

        return results;
    }
}
