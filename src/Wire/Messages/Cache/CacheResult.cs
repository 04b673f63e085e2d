using System.Buffers;

namespace Sinkron.Wire.Messages.Cache;

/// <summary>Whether a read found a value.</summary>
public enum CacheResultStatus : byte
{
    /// <summary>The operation succeeded; a read carries the value.</summary>
    Ok = 0,

    /// <summary>A read found no value: never written, deleted, or expired.</summary>
    NotFound = 1,
}

/// <summary>
/// <c>u8 status | u8 line state | u64 version | bytes value</c>: the answer to CACHE_GET, CACHE_PUT
/// and CACHE_DELETE (writes carry an empty value). The state is the key's line at the answering
/// node right after the operation; the version counts the key's writes.
/// Decoding copies the value, so a result outlives its frame.
/// </summary>
public readonly record struct CacheResult(CacheResultStatus Status, CacheLineState State, ulong Version, ReadOnlyMemory<byte> Value)
    : IWireMessage<CacheResult>
{
    /// <inheritdoc />
    public static MessageType Type => MessageType.CacheGet;

    /// <inheritdoc />
    public int GetPayloadSize() => 2 + 8 + WireSize.Bytes(Value.Length);

    /// <inheritdoc />
    public void WritePayload(Span<byte> destination)
    {
        var w = new SpanWriter(destination);
        w.WriteU8((byte)Status);
        w.WriteU8((byte)State);
        w.WriteU64(Version);
        w.WriteBytes(Value.Span);
    }

    /// <inheritdoc />
    public static bool TryRead(ReadOnlySequence<byte> payload, out CacheResult message)
    {
        var r = new SequenceReader<byte>(payload);
        message = default;
        if (!WireReader.TryReadU8(ref r, out var status) || status > (byte)CacheResultStatus.NotFound
            || !WireReader.TryReadU8(ref r, out var state) || state > (byte)CacheLineState.Modified
            || !WireReader.TryReadU64(ref r, out var version) || !WireReader.TryReadBytes(ref r, CacheLimits.MaxValueBytes, out var value)
            || !r.End)
        {
            return false;
        }

        message = new CacheResult((CacheResultStatus)status, (CacheLineState)state, version, value.IsEmpty ? ReadOnlyMemory<byte>.Empty : value.ToArray());
        return true;
    }
}
