using System.Buffers;

namespace Sinkron.Wire.Messages.Locks;

/// <summary>A holder of a lock: session, mode (0 shared, 1 exclusive), fencing token.</summary>
public readonly record struct LockHolder(ulong Session, byte Mode, ulong Token);

/// <summary>A queued request: session and mode.</summary>
public readonly record struct LockWaiter(ulong Session, byte Mode);

/// <summary>A lock with its holders (grant order) and waiters (queue order).</summary>
public sealed record LockEntry(string Name, IReadOnlyList<LockHolder> Holders, IReadOnlyList<LockWaiter> Waiters);

/// <summary>
/// LIST request: <c>string prefix</c>. Response: <c>u32 count × (string name | u16 holders × (u64 session | u8 mode |
/// u64 token) | u16 waiters × (u64 session | u8 mode))</c>.
/// </summary>
public sealed record LockListResponse(IReadOnlyList<LockEntry> Locks) : IWireMessage<LockListResponse>
{
    /// <inheritdoc />
    public static MessageType Type => MessageType.LockList;

    /// <inheritdoc />
    public int GetPayloadSize()
    {
        var size = 4;
        foreach (var entry in Locks)
        {
            size += WireSize.String(entry.Name) + 2 + (entry.Holders.Count * 17) + 2 + (entry.Waiters.Count * 9);
        }

        return size;
    }

    /// <inheritdoc />
    public void WritePayload(Span<byte> destination)
    {
        var w = new SpanWriter(destination);
        w.WriteU32((uint)Locks.Count);
        foreach (var entry in Locks)
        {
            w.WriteString(entry.Name);
            w.WriteU16((ushort)entry.Holders.Count);
            foreach (var holder in entry.Holders)
            {
                w.WriteU64(holder.Session);
                w.WriteU8(holder.Mode);
                w.WriteU64(holder.Token);
            }

            w.WriteU16((ushort)entry.Waiters.Count);
            foreach (var waiter in entry.Waiters)
            {
                w.WriteU64(waiter.Session);
                w.WriteU8(waiter.Mode);
            }
        }
    }

    /// <inheritdoc />
    public static bool TryRead(ReadOnlySequence<byte> payload, out LockListResponse message)
    {
        var r = new SequenceReader<byte>(payload);
        message = null!;
        if (!WireReader.TryReadU32(ref r, out var count) || count > payload.Length)
        {
            return false;
        }

        var locks = new List<LockEntry>((int)count);
        for (var i = 0; i < count; i++)
        {
            if (!WireReader.TryReadString(ref r, out var name) || !WireReader.TryReadU16(ref r, out var holderCount))
            {
                return false;
            }

            var holders = new List<LockHolder>(holderCount);
            for (var h = 0; h < holderCount; h++)
            {
                if (!WireReader.TryReadU64(ref r, out var session) || !WireReader.TryReadU8(ref r, out var mode) || !WireReader.TryReadU64(ref r, out var token))
                {
                    return false;
                }

                holders.Add(new LockHolder(session, mode, token));
            }

            if (!WireReader.TryReadU16(ref r, out var waiterCount))
            {
                return false;
            }

            var waiters = new List<LockWaiter>(waiterCount);
            for (var q = 0; q < waiterCount; q++)
            {
                if (!WireReader.TryReadU64(ref r, out var session) || !WireReader.TryReadU8(ref r, out var mode))
                {
                    return false;
                }

                waiters.Add(new LockWaiter(session, mode));
            }

            locks.Add(new LockEntry(name, holders, waiters));
        }

        message = new LockListResponse(locks);
        return r.End;
    }
}
