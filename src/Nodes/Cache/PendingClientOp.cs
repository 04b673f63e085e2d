using Sinkron.Wire.Messages;
using Sinkron.Wire.Server;

namespace Sinkron.Nodes.Cache;

/// <summary>
/// A client request the core is working on, keyed by the core's request id: where and how to
/// answer it. <see cref="ExpiryKey"/> is set only for puts with a TTL.
/// </summary>
internal readonly record struct PendingClientOp(
    ServerConnection Connection,
    ulong FrameRequestId,
    MessageType Type,
    long StartedTicks,
    uint TtlMs,
    byte[]? ExpiryKey);
