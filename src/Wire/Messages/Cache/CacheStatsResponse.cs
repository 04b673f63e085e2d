using System.Buffers;

namespace Sinkron.Wire.Messages.Cache;

/// <summary>Lines a node tracks, per MESI state (Invalid: lines held only while a transaction is in flight).</summary>
public readonly record struct CacheLineCounts(ulong Modified, ulong Exclusive, ulong Shared, ulong Invalid);

/// <summary>Client operation latency at the node, from the request frame to its answer, in microseconds.</summary>
public readonly record struct CacheLatency(uint GetP50Us, uint GetP99Us, uint PutP50Us, uint PutP99Us);

/// <summary>Bus messages of one type this node sent to and received from its peers.</summary>
public readonly record struct CacheBusCount(string Type, ulong Sent, ulong Received);

/// <summary>
/// <c>string node id | u64 hits | u64 misses | u64 evictions | u64 write-backs | u64 invalidations sent |
/// u64 invalidations received | u64 protocol errors | u64 lines M | u64 lines E | u64 lines S | u64 lines I |
/// u64 line bytes | u32 get p50 µs | u32 get p99 µs | u32 put p50 µs | u32 put p99 µs |
/// u8 count × (string bus type | u64 sent | u64 received)</c>.
/// </summary>
public sealed record CacheStatsResponse(
    string NodeId,
    ulong Hits,
    ulong Misses,
    ulong Evictions,
    ulong WriteBacks,
    ulong InvalidationsSent,
    ulong InvalidationsReceived,
    ulong ProtocolErrors,
    CacheLineCounts Lines,
    ulong LineBytes,
    CacheLatency Latency,
    IReadOnlyList<CacheBusCount> Bus) : IWireMessage<CacheStatsResponse>
{
    private const int FixedSize = 8 * 12 + 4 * 4 + 1;

    /// <inheritdoc />
    public static MessageType Type => MessageType.CacheStats;

    /// <summary>Hits over all client operations; 0 before the first.</summary>
    public double HitRatio => Hits + Misses == 0 ? 0 : (double)Hits / (Hits + Misses);

    /// <inheritdoc />
    public int GetPayloadSize()
    {
        var size = WireSize.String(NodeId) + FixedSize;
        foreach (var bus in Bus)
        {
            size += WireSize.String(bus.Type) + 16;
        }

        return size;
    }

    /// <inheritdoc />
    public void WritePayload(Span<byte> destination)
    {
        var w = new SpanWriter(destination);
        w.WriteString(NodeId);
        w.WriteU64(Hits);
        w.WriteU64(Misses);
        w.WriteU64(Evictions);
        w.WriteU64(WriteBacks);
        w.WriteU64(InvalidationsSent);
        w.WriteU64(InvalidationsReceived);
        w.WriteU64(ProtocolErrors);
        w.WriteU64(Lines.Modified);
        w.WriteU64(Lines.Exclusive);
        w.WriteU64(Lines.Shared);
        w.WriteU64(Lines.Invalid);
        w.WriteU64(LineBytes);
        w.WriteU32(Latency.GetP50Us);
        w.WriteU32(Latency.GetP99Us);
        w.WriteU32(Latency.PutP50Us);
        w.WriteU32(Latency.PutP99Us);
        w.WriteU8((byte)Bus.Count);
        foreach (var bus in Bus)
        {
            w.WriteString(bus.Type);
            w.WriteU64(bus.Sent);
            w.WriteU64(bus.Received);
        }
    }

    /// <inheritdoc />
    public static bool TryRead(ReadOnlySequence<byte> payload, out CacheStatsResponse message)
    {
        var r = new SequenceReader<byte>(payload);
        message = null!;
        Span<ulong> counters = stackalloc ulong[12];
        Span<uint> latency = stackalloc uint[4];
        if (!WireReader.TryReadString(ref r, out var nodeId))
        {
            return false;
        }

        for (var i = 0; i < counters.Length; i++)
        {
            if (!WireReader.TryReadU64(ref r, out counters[i]))
            {
                return false;
            }
        }

        for (var i = 0; i < latency.Length; i++)
        {
            if (!WireReader.TryReadU32(ref r, out latency[i]))
            {
                return false;
            }
        }

        if (!WireReader.TryReadU8(ref r, out var count))
        {
            return false;
        }

        var bus = new List<CacheBusCount>(count);
        for (var i = 0; i < count; i++)
        {
            if (!WireReader.TryReadString(ref r, out var type) || !WireReader.TryReadU64(ref r, out var sent)
                || !WireReader.TryReadU64(ref r, out var received))
            {
                return false;
            }

            bus.Add(new CacheBusCount(type, sent, received));
        }

        if (!r.End)
        {
            return false;
        }

        message = new CacheStatsResponse(nodeId, counters[0], counters[1], counters[2], counters[3], counters[4], counters[5], counters[6],
            new CacheLineCounts(counters[7], counters[8], counters[9], counters[10]), counters[11],
            new CacheLatency(latency[0], latency[1], latency[2], latency[3]), bus);
        return true;
    }
}
