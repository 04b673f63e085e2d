using System.Buffers;

namespace Sinkron.Nodes.Cache;

/// <summary>
/// One bus frame. <see cref="Key"/> and <see cref="Value"/> are views, never copies:
/// a decoded message points into the receive buffer and is valid only until the reader advances
/// past it (the core copies what it keeps before <c>Receive</c> returns); a message the core emits
/// points at arrays the core never mutates, so it stays valid for as long as it is referenced.
/// </summary>
internal readonly record struct BusMessage(
    BusMessageType Type,
    ushort From,
    ushort To,
    ulong Version,
    BusFlags Flags,
    ReadOnlySequence<byte> Key,
    ReadOnlySequence<byte> Value)
{
    public bool HasData => (Flags & BusFlags.HasData) != 0;

    public bool IsTombstone => (Flags & BusFlags.Tombstone) != 0;
}
