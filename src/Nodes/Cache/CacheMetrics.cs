namespace Sinkron.Nodes.Cache;

/// <summary>Counters of one node's cache core; read them on the core's thread or accept torn reads.</summary>
internal sealed class CacheMetrics
{
    private readonly long[] sent = new long[BusMessageTypes.Count];
    private readonly long[] received = new long[BusMessageTypes.Count];
    private readonly long[] lines = new long[4];

    /// <summary>Client operations served from the local line with no bus traffic.</summary>
    public long Hits { get; internal set; }

    /// <summary>Client operations that needed a transaction at the home.</summary>
    public long Misses { get; internal set; }

    public double HitRatio => Hits + Misses == 0 ? 0 : (double)Hits / (Hits + Misses);

    public long Evictions { get; internal set; }

    /// <summary>Dirty data sent home: PutM, and flushes answering a Fetch or Inv.</summary>
    public long WriteBacks { get; internal set; }

    public long InvalidationsSent { get; internal set; }

    public long InvalidationsReceived { get; internal set; }

    /// <summary>Messages that did not fit the protocol state (misrouted, stale or duplicated); ignored.</summary>
    public long ProtocolErrors { get; internal set; }

    /// <summary>Bus messages sent to other nodes (messages a node sends itself are not bus traffic).</summary>
    public long Sent(BusMessageType type) => sent[(int)type];

    public long Received(BusMessageType type) => received[(int)type];

    /// <summary>Tracked lines in a state; Invalid counts lines held only while a transaction is in flight.</summary>
    public long Lines(LineState state) => lines[(int)state];

    internal void CountSent(BusMessageType type) => sent[(int)type]++;

    internal void CountReceived(BusMessageType type) => received[(int)type]++;

    internal void LineEntered(LineState state) => lines[(int)state]++;

    internal void LineLeft(LineState state) => lines[(int)state]--;
}
