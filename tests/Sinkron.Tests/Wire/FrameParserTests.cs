using System.Buffers;
using System.Buffers.Binary;
using Sinkron.Tests.Infrastructure;
using Sinkron.Wire.Framing;
using Sinkron.Wire.Messages;

namespace Sinkron.Tests.Wire;

public class FrameParserTests
{
    [Fact]
    public void Short_header_is_incomplete()
    {
        var buffer = new ReadOnlySequence<byte>(new byte[15]);
        Assert.Equal(ParseStatus.Incomplete, FrameParser.TryParse(ref buffer, 1024, out _, out _, out _));
        Assert.Equal(15, buffer.Length);
    }

    [Fact]
    public void Missing_body_is_incomplete_and_consumes_nothing()
    {
        var bytes = Frame(MessageType.Ping, 8)[..20];
        var buffer = Sequences.Split(bytes, 3);
        Assert.Equal(ParseStatus.Incomplete, FrameParser.TryParse(ref buffer, 1024, out _, out _, out _));
        Assert.Equal(20, buffer.Length);
    }

    [Theory]
    [InlineData(0u, ErrorCode.BadFrame)]
    [InlineData(15u, ErrorCode.BadFrame)]
    [InlineData(1025u, ErrorCode.FrameTooLarge)]
    [InlineData(0xFFFF_FFFFu, ErrorCode.FrameTooLarge)]
    public void Bad_lengths_are_rejected_from_the_header_alone(uint length, ErrorCode expected)
    {
        var bytes = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, length);
        var buffer = new ReadOnlySequence<byte>(bytes);
        Assert.Equal(ParseStatus.Invalid, FrameParser.TryParse(ref buffer, 1024, out _, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Several_frames_split_anywhere_parse_in_order()
    {
        var bytes = Frame(MessageType.Ping, 8).Concat(Frame(MessageType.Status, 0)).Concat(Frame(MessageType.Hello, 5)).ToArray();
        for (var size = 1; size <= bytes.Length; size++)
        {
            var buffer = Sequences.Split(bytes, size);
            var types = new List<MessageType>();
            while (FrameParser.TryParse(ref buffer, 1024, out var header, out var payload, out _) == ParseStatus.Complete)
            {
                Assert.Equal(header.PayloadLength, payload.Length);
                types.Add(header.Type);
            }

            Assert.Equal([MessageType.Ping, MessageType.Status, MessageType.Hello], types);
            Assert.True(buffer.IsEmpty);
        }
    }

    private static byte[] Frame(MessageType type, int payloadLength)
    {
        var bytes = new byte[16 + payloadLength];
        new FrameHeader(bytes.Length, type, FrameFlags.None, 9).Write(bytes);
        return bytes;
    }
}
