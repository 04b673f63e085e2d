namespace Sinkron.Nodes.Ring;

/// <summary>
/// The ring's 64-bit hash: FNV-1a over the bytes, then the MurmurHash3 finalizer. FNV-1a alone
/// spreads short, similar strings ("queue-1", "queue-2") poorly in the high bits that decide a
/// ring position; the finalizer avalanches every input bit. The value is stable across processes,
/// machines and releases — it decides where data lives, so it must never change.
/// </summary>
internal static class RingHash
{
    private const ulong OffsetBasis = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    public static ulong Hash(ReadOnlySpan<byte> data) => Finish(Append(Start, data));

    public static ulong Start => OffsetBasis;

    public static ulong Append(ulong state, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            state = (state ^ b) * Prime;
        }

        return state;
    }

    public static ulong Finish(ulong state)
    {
        state ^= state >> 33;
        state *= 0xff51afd7ed558ccdUL;
        state ^= state >> 33;
        state *= 0xc4ceb9fe1a85ec53UL;
        state ^= state >> 33;
        return state;
    }
}
