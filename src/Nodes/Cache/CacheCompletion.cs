namespace Sinkron.Nodes.Cache;

internal enum CacheStatus : byte
{
    Ok = 0,

    /// <summary>A Get found no value (never written, or deleted).</summary>
    NotFound = 1,

    /// <summary>The key's home node is down; retry later or elsewhere.</summary>
    Unavailable = 2,
}

/// <summary>
/// The answer to a client operation. <see cref="State"/> is this node's line state right after the
/// operation; <see cref="Version"/> the version read or written. <see cref="Value"/> points at an
/// array the core never mutates, so it can be written to the client after the core moves on.
/// </summary>
internal readonly record struct CacheCompletion(
    ulong RequestId,
    CacheStatus Status,
    LineState State,
    ulong Version,
    ReadOnlyMemory<byte> Value);
