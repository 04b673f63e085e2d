using System.Buffers;
using System.Text;
using Sinkron.Nodes.Queues.Resp;

namespace Sinkron.Tests.Queues;

/// <summary>The produce path's own RESP: the XADD it writes and the replies it reads, split anywhere.</summary>
public class RespTests
{
    [Fact]
    public void XAdd_is_an_array_of_bulk_strings_with_the_key_in_utf8()
    {
        var output = new ArrayBufferWriter<byte>();
        RespXAdd.Write(output, "sinkron:q:"u8, "wärme", "b"u8, "hi\r\n"u8);

        Assert.Equal("*5\r\n$4\r\nXADD\r\n$16\r\nsinkron:q:wärme\r\n$1\r\n*\r\n$1\r\nb\r\n$4\r\nhi\r\n\r\n", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    [Fact]
    public void XAdd_of_an_empty_body_is_an_empty_bulk_string()
    {
        var output = new ArrayBufferWriter<byte>();
        RespXAdd.Write(output, "p:"u8, "q", "b"u8, ReadOnlySpan<byte>.Empty);

        Assert.EndsWith("$1\r\nb\r\n$0\r\n\r\n", Encoding.UTF8.GetString(output.WrittenSpan), StringComparison.Ordinal);
    }

    [Fact]
    public void Replies_split_at_every_byte_parse_only_when_whole()
    {
        var stream = "$15\r\n1732612345678-0\r\n-WRONGTYPE Operation against a key\r\n+OK\r\n"u8.ToArray();
        var expected = new[]
        {
            new RespReply(RespReplyKind.Text, "1732612345678-0"),
            new RespReply(RespReplyKind.Error, "WRONGTYPE Operation against a key"),
            new RespReply(RespReplyKind.Text, "OK"),
        };

        for (var split = 0; split <= stream.Length; split++)
        {
            var parsed = new List<RespReply>();
            var pending = new List<byte>();
            foreach (var piece in new[] { stream[..split], stream[split..] })
            {
                pending.AddRange(piece);
                var data = pending.ToArray();
                var used = 0;
                while (RespReply.TryParse(data.AsSpan(used), out var reply, out var consumed))
                {
                    parsed.Add(reply);
                    used += consumed;
                }

                pending.RemoveRange(0, used);
            }

            Assert.Equal(expected, parsed);
            Assert.Empty(pending);
        }
    }

    [Theory]
    [InlineData(":1\r\n", "unexpected Redis reply type ':'")]
    [InlineData("*1\r\n", "unexpected Redis reply type '*'")]
    [InlineData("$-1\r\n", "bad bulk string length '-1'")]
    [InlineData("$x\r\n", "bad bulk string length 'x'")]
    [InlineData("$2\r\nabcd", "does not end with CRLF")]
    [InlineData("$999999\r\n", "longer than")]
    public void Malformed_or_unexpected_replies_are_refused(string text, string message)
    {
        var error = Assert.Throws<InvalidDataException>(() => RespReply.TryParse(Encoding.ASCII.GetBytes(text), out _, out _));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_line_longer_than_any_reply_without_its_end_is_refused()
    {
        var endless = Enumerable.Repeat((byte)'a', RespReply.MaxBytes + 1).Prepend((byte)'+').ToArray();

        Assert.Throws<InvalidDataException>(() => RespReply.TryParse(endless, out _, out _));
    }
}
