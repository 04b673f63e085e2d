using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Sinkron.Nodes.Queues.Resp;

/// <summary>
/// Writes <c>XADD {prefix}{queue} * {field} {body}</c> as a RESP array of bulk strings, straight into a buffer: no
/// string for the key, no copy of the body.
/// </summary>
internal static class RespXAdd
{
    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> keyPrefix, string queue, ReadOnlySpan<byte> field, ReadOnlySpan<byte> body)
    {
        var queueBytes = Encoding.UTF8.GetByteCount(queue);
        WriteRaw(output, "*5\r\n$4\r\nXADD\r\n"u8);
        WriteLength(output, keyPrefix.Length + queueBytes);
        WriteRaw(output, keyPrefix);
        var span = output.GetSpan(queueBytes);
        output.Advance(Encoding.UTF8.GetBytes(queue, span));
        WriteRaw(output, "\r\n$1\r\n*\r\n"u8);
        WriteBulk(output, field);
        WriteBulk(output, body);
    }

    private static void WriteBulk(IBufferWriter<byte> output, ReadOnlySpan<byte> value)
    {
        WriteLength(output, value.Length);
        WriteRaw(output, value);
        WriteRaw(output, "\r\n"u8);
    }

    private static void WriteLength(IBufferWriter<byte> output, int length)
    {
        var span = output.GetSpan(16);
        span[0] = (byte)'$';
        Utf8Formatter.TryFormat(length, span[1..], out var written);
        span[1 + written] = (byte)'\r';
        span[2 + written] = (byte)'\n';
        output.Advance(written + 3);
    }

    private static void WriteRaw(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }
}
