using System.Buffers.Text;
using System.Text;

namespace Sinkron.Nodes.Queues.Resp;

/// <summary>What kind of value a Redis reply carries.</summary>
internal enum RespReplyKind : byte
{
    /// <summary>A bulk or simple string: the text is the value (an XADD's entry id).</summary>
    Text,

    /// <summary>An error reply: the text is Redis's message.</summary>
    Error,
}

/// <summary>
/// One reply of the Redis protocol (RESP2), as far as the produce pipeline needs it: bulk strings, simple strings and
/// errors. <see cref="TryParse"/> is pure: it reads from a span and says how much it used, so it can be tested on
/// replies split anywhere.
/// </summary>
internal readonly record struct RespReply(RespReplyKind Kind, string Text)
{
    /// <summary>Longest reply accepted: an entry id is ~20 bytes, an error message a line.</summary>
    public const int MaxBytes = 16 * 1024;

    /// <summary>
    /// Parses the reply at the start of <paramref name="data"/>. False when it is not all there yet. Throws
    /// <see cref="InvalidDataException"/> for anything that is not a well-formed reply of a kind above, after which
    /// the connection cannot be trusted.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out RespReply reply, out int consumed)
    {
        reply = default;
        consumed = 0;
        var lineEnd = data.IndexOf("\r\n"u8);
        if (lineEnd < 0)
        {
            ThrowIfTooLong(data.Length);
            return false;
        }

        var line = data[1..lineEnd];
        switch (data[0])
        {
            case (byte)'+':
                reply = new RespReply(RespReplyKind.Text, Encoding.UTF8.GetString(line));
                consumed = lineEnd + 2;
                return true;
            case (byte)'-':
                reply = new RespReply(RespReplyKind.Error, Encoding.UTF8.GetString(line));
                consumed = lineEnd + 2;
                return true;
            case (byte)'$':
                return TryParseBulk(data, line, lineEnd + 2, out reply, out consumed);
            default:
                throw new InvalidDataException($"unexpected Redis reply type '{(char)data[0]}'");
        }
    }

    private static bool TryParseBulk(ReadOnlySpan<byte> data, ReadOnlySpan<byte> header, int bodyStart, out RespReply reply, out int consumed)
    {
        reply = default;
        consumed = 0;
        if (!Utf8Parser.TryParse(header, out int length, out var used) || used != header.Length || length < 0)
        {
            // $-1 (no value) is not something XADD answers without NOMKSTREAM, which the router never sends.
            throw new InvalidDataException($"bad bulk string length '{Encoding.ASCII.GetString(header)}' in a Redis reply");
        }

        ThrowIfTooLong(length);
        var end = bodyStart + length + 2;
        if (data.Length < end)
        {
            return false;
        }

        if (!data.Slice(end - 2, 2).SequenceEqual("\r\n"u8))
        {
            throw new InvalidDataException("a Redis bulk string does not end with CRLF");
        }

        reply = new RespReply(RespReplyKind.Text, Encoding.UTF8.GetString(data.Slice(bodyStart, length)));
        consumed = end;
        return true;
    }

    private static void ThrowIfTooLong(int length)
    {
        if (length > MaxBytes)
        {
            throw new InvalidDataException($"a Redis reply is longer than {MaxBytes} bytes");
        }
    }
}
