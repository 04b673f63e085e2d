using System.Buffers;
using System.Buffers.Binary;

namespace Sinkron.Nodes.Raft;

/// <summary>
/// Binary form of <see cref="RaftMessage"/>, little-endian, framed by the caller:
/// <code>
/// type u8 | flags u8 | from, to, term, index, logTerm, commit, rejectHint, context, offset: u64 each
/// | entryCount u32 | entryCount × (index u64 | term u64 | kind u8 | length u32 | data)
/// | dataLength u32 | data
/// </code>
/// </summary>
internal static class RaftMessageCodec
{
    public const int HeaderSize = 2 + (9 * 8);
    private const int EntryHeaderSize = 8 + 8 + 1 + 4;

    public static void Write(IBufferWriter<byte> w, in RaftMessage m)
    {
        var entries = m.Entries.Span;
        var span = w.GetSpan(HeaderSize + 4);
        span[0] = (byte)m.Type;
        span[1] = (byte)m.Flags;
        BinaryPrimitives.WriteUInt64LittleEndian(span[2..], m.From);
        BinaryPrimitives.WriteUInt64LittleEndian(span[10..], m.To);
        BinaryPrimitives.WriteUInt64LittleEndian(span[18..], m.Term);
        BinaryPrimitives.WriteUInt64LittleEndian(span[26..], m.Index);
        BinaryPrimitives.WriteUInt64LittleEndian(span[34..], m.LogTerm);
        BinaryPrimitives.WriteUInt64LittleEndian(span[42..], m.Commit);
        BinaryPrimitives.WriteUInt64LittleEndian(span[50..], m.RejectHint);
        BinaryPrimitives.WriteUInt64LittleEndian(span[58..], m.Context);
        BinaryPrimitives.WriteUInt64LittleEndian(span[66..], m.Offset);
        BinaryPrimitives.WriteUInt32LittleEndian(span[HeaderSize..], (uint)entries.Length);
        w.Advance(HeaderSize + 4);

        foreach (ref readonly var e in entries)
        {
            span = w.GetSpan(EntryHeaderSize);
            BinaryPrimitives.WriteUInt64LittleEndian(span, e.Index);
            BinaryPrimitives.WriteUInt64LittleEndian(span[8..], e.Term);
            span[16] = (byte)e.Kind;
            BinaryPrimitives.WriteUInt32LittleEndian(span[17..], (uint)e.Data.Length);
            w.Advance(EntryHeaderSize);
            w.Write(e.Data.Span);
        }

        span = w.GetSpan(4);
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)m.Data.Length);
        w.Advance(4);
        w.Write(m.Data.Span);
    }

    /// <summary>
    /// Reads one message. Returns false, with the reader where it started, on truncated or invalid
    /// input; never throws on garbage. Allocates one <see cref="LogEntry"/> array when there are
    /// entries, one byte array per non-empty entry, and one for a non-empty Data.
    /// </summary>
    public static bool TryRead(ref SequenceReader<byte> r, out RaftMessage m)
    {
        var start = r.Consumed;
        if (TryReadCore(ref r, out m))
        {
            return true;
        }

        r.Rewind(r.Consumed - start);
        m = default;
        return false;
    }

    private static bool TryReadCore(ref SequenceReader<byte> r, out RaftMessage m)
    {
        m = default;
        if (!r.TryRead(out var type) || !r.TryRead(out var flags)
            || type == 0 || type > (byte)RaftMessageType.ReadIndexResponse || flags > 7
            || !TryReadU64(ref r, out var from) || !TryReadU64(ref r, out var to)
            || !TryReadU64(ref r, out var term) || !TryReadU64(ref r, out var index)
            || !TryReadU64(ref r, out var logTerm) || !TryReadU64(ref r, out var commit)
            || !TryReadU64(ref r, out var rejectHint) || !TryReadU64(ref r, out var context)
            || !TryReadU64(ref r, out var offset) || !TryReadU32(ref r, out var entryCount))
        {
            return false;
        }

        // Each entry takes at least its header: refuse counts the input cannot hold before allocating.
        if (entryCount > r.Remaining / EntryHeaderSize)
        {
            return false;
        }

        var entries = entryCount == 0 ? [] : new LogEntry[entryCount];
        for (var i = 0; i < entries.Length; i++)
        {
            if (!TryReadU64(ref r, out var eIndex) || !TryReadU64(ref r, out var eTerm)
                || !r.TryRead(out var kind) || kind > (byte)EntryKind.Load
                || !TryReadBytes(ref r, out var eData))
            {
                return false;
            }

            entries[i] = new LogEntry(eIndex, eTerm, (EntryKind)kind, eData);
        }

        if (!TryReadBytes(ref r, out var data))
        {
            return false;
        }

        m = new RaftMessage
        {
            Type = (RaftMessageType)type,
            Flags = (RaftMessageFlags)flags,
            From = from,
            To = to,
            Term = term,
            Index = index,
            LogTerm = logTerm,
            Commit = commit,
            RejectHint = rejectHint,
            Context = context,
            Offset = offset,
            Entries = entries,
            Data = data,
        };
        return true;
    }

    private static bool TryReadU64(ref SequenceReader<byte> r, out ulong value)
    {
        if (r.TryReadLittleEndian(out long v))
        {
            value = (ulong)v;
            return true;
        }

        value = 0;
        return false;
    }

    private static bool TryReadU32(ref SequenceReader<byte> r, out uint value)
    {
        if (r.TryReadLittleEndian(out int v))
        {
            value = (uint)v;
            return true;
        }

        value = 0;
        return false;
    }

    private static bool TryReadBytes(ref SequenceReader<byte> r, out byte[] bytes)
    {
        bytes = [];
        if (!TryReadU32(ref r, out var length) || length > r.Remaining)
        {
            return false;
        }

        if (length > 0)
        {
            bytes = new byte[length];
            r.TryCopyTo(bytes);
            r.Advance(length);
        }

        return true;
    }
}
