namespace Sinkron.Nodes.Cache;

/// <summary>
/// An entry of <see cref="LruMap{TEntry}"/>. The recency links live in the entry itself
/// (an intrusive list), so a hit moves pointers and allocates nothing.
/// </summary>
internal abstract class LruEntry(byte[] key)
{
    public byte[] Key { get; } = key;

    /// <summary>Bytes this entry counts against the map's byte capacity.</summary>
    public long Size { get; internal set; }

    /// <summary>A pinned entry is never chosen as a victim (for example while a transaction on it is in flight).</summary>
    public abstract bool Pinned { get; }

    internal LruEntry? Older { get; set; }

    internal LruEntry? Newer { get; set; }
}
