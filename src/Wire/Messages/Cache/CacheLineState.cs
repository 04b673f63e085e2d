namespace Sinkron.Wire.Messages.Cache;

/// <summary>The MESI state of a key's line at the node that answered.</summary>
public enum CacheLineState : byte
{
    /// <summary>The node holds no valid copy.</summary>
    Invalid = 0,

    /// <summary>A clean copy that other nodes may share.</summary>
    Shared = 1,

    /// <summary>The only copy, clean: a write needs no bus traffic.</summary>
    Exclusive = 2,

    /// <summary>The only copy, written here and not yet written back to the key's home.</summary>
    Modified = 3,
}
