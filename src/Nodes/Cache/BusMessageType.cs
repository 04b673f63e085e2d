namespace Sinkron.Nodes.Cache;

/// <summary>
/// Bus frame types. Requests (BusRd … WriteThrough) are transactions the home serializes per key;
/// Put* are eviction notices the home applies at once, even mid-transaction, because the reply
/// of the evicting node to a crossing Fetch or Inv is queued behind them on the same link.
/// </summary>
internal enum BusMessageType : byte
{
    /// <summary>Requester → home: read miss.</summary>
    BusRd = 1,

    /// <summary>Requester → home: write from I; wants M with data.</summary>
    BusRdX = 2,

    /// <summary>Requester → home: write from S; wants M.</summary>
    BusUpgr = 3,

    /// <summary>Requester → home: write-through Put carrying the value; home stores it, then grants E.</summary>
    WriteThrough = 4,

    /// <summary>Evicting owner → home: write-back with data.</summary>
    PutM = 5,

    /// <summary>Evicting clean owner → home.</summary>
    PutE = 6,

    /// <summary>Evicting sharer → home.</summary>
    PutS = 7,

    /// <summary>Home → owner: supply the data and go to S.</summary>
    Fetch = 8,

    /// <summary>Home → holder: invalidate.</summary>
    Inv = 9,

    /// <summary>Owner → home: answer to Fetch; carries data (a flush) when the line was M.</summary>
    FetchAck = 10,

    /// <summary>Holder → home: answer to Inv; carries data when the line was M.</summary>
    InvAck = 11,

    /// <summary>Home → requester: data, line in S.</summary>
    GrantS = 12,

    /// <summary>Home → requester: data, line in E.</summary>
    GrantE = 13,

    /// <summary>Home → requester: data, line in M (every other copy is gone).</summary>
    GrantM = 14,

    /// <summary>Home → write-through requester: the value is stored at this version; line in E.</summary>
    WriteAck = 15,
}

internal static class BusMessageTypes
{
    /// <summary>Size of arrays indexed by <see cref="BusMessageType"/>.</summary>
    public const int Count = 16;

    public static bool IsDefined(byte type) => type is >= 1 and <= 15;
}
