namespace Sinkron.Nodes.Cache;

/// <summary>
/// One key at one node in its cache role. Client operations on the key queue here in FIFO and run
/// one at a time; at most one request per key per node is outstanding at the home.
/// </summary>
internal sealed class CacheLine(byte[] key, int home) : LruEntry(key)
{
    public int Home { get; } = home;

    public LineState State { get; set; }

    /// <summary>Never mutated once assigned: completions and messages hand it out by reference.</summary>
    public byte[] Value { get; set; } = [];

    public bool Tombstone { get; set; }

    public ulong Version { get; set; }

    /// <summary>The request outstanding at the home, if any.</summary>
    public BusMessageType? Pending { get; set; }

    /// <summary>The head op has already been counted as a miss (it started the pending request).</summary>
    public bool HeadCounted { get; set; }

    public Queue<ClientOp>? Ops { get; set; }

    public bool HasOps => Ops is { Count: > 0 };

    public override bool Pinned => Pending is not null || HasOps;

    public long ComputeSize() => Key.Length + Value.Length;
}
