namespace Sinkron.Nodes.Cache;

/// <summary>A transaction request as the home queues it.</summary>
internal readonly record struct HomeRequest(BusMessageType Type, int From, byte[]? Value, bool Tombstone);

/// <summary>
/// One key at its home: the memory copy, the directory, and the transaction in flight.
/// A key never written is a tombstone at version 0.
/// </summary>
internal sealed class HomeEntry(byte[] key)
{
    public byte[] Key { get; } = key;

    public byte[] Value { get; set; } = [];

    public bool Tombstone { get; set; } = true;

    public ulong Version { get; set; }

    /// <summary>Node holding the line in E or M (the home cannot tell which: E → M is silent), or -1.</summary>
    public int Owner { get; set; } = -1;

    /// <summary>Bit n set: node n holds the line in S.</summary>
    public ulong Sharers { get; set; }

    public bool Busy { get; set; }

    public HomeRequest Current { get; set; }

    /// <summary>
    /// The current transaction's requester was declared down: its grant must be dropped even if
    /// the peer is back by the time the transaction ends (a restarted node asked for nothing).
    /// </summary>
    public bool RequesterLost { get; set; }

    /// <summary>Nodes sent an Inv for the current transaction that have not acknowledged.</summary>
    public ulong AwaitingAcks { get; set; }

    /// <summary>Node sent a Fetch for the current transaction that has not answered, or -1.</summary>
    public int AwaitingFetch { get; set; } = -1;

    public Queue<HomeRequest>? Waiting { get; set; }

    public bool HasWaiting => Waiting is { Count: > 0 };

    /// <summary>Takes a flushed or written-back copy if it is newer than memory.</summary>
    public void Absorb(ulong version, byte[] value, bool tombstone)
    {
        if (version >= Version)
        {
            Version = version;
            Value = value;
            Tombstone = tombstone;
        }
    }
}
