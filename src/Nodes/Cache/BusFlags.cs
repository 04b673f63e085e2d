namespace Sinkron.Nodes.Cache;

[Flags]
internal enum BusFlags : byte
{
    None = 0,

    /// <summary>The frame carries the line's value (and its version).</summary>
    HasData = 1,

    /// <summary>The value is a delete marker.</summary>
    Tombstone = 2,

    /// <summary>On FetchAck: the responder kept a copy in S.</summary>
    KeptCopy = 4,

    All = HasData | Tombstone | KeptCopy,
}
