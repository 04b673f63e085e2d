using System.Buffers;

namespace Sinkron.Wire.Messages.Queues;

/// <summary><c>u16 count | string × count</c>, shared by the queue messages that carry ids.</summary>
public static class StringList
{
    /// <summary>Encoded size.</summary>
    public static int Size(IReadOnlyList<string> items)
    {
        var size = 2;
        foreach (var item in items)
        {
            size += WireSize.String(item);
        }

        return size;
    }

    /// <summary>Writes the list.</summary>
    public static void Write(ref SpanWriter w, IReadOnlyList<string> items)
    {
        w.WriteU16((ushort)items.Count);
        foreach (var item in items)
        {
            w.WriteString(item);
        }
    }

    /// <summary>Reads the list.</summary>
    public static bool TryRead(ref SequenceReader<byte> r, out string[] items)
    {
        items = [];
        if (!WireReader.TryReadU16(ref r, out var count))
        {
            return false;
        }

        items = new string[count];
        for (var i = 0; i < count; i++)
        {
            if (!WireReader.TryReadString(ref r, out items[i]))
            {
                return false;
            }
        }

        return true;
    }
}
