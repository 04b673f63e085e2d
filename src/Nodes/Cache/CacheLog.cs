using Microsoft.Extensions.Logging;

namespace Sinkron.Nodes.Cache;

internal static partial class CacheLog
{
    [LoggerMessage(200, LogLevel.Information, "cache node {Id} is node {NodeId} of {Count} ({Members}); write-through {WriteThrough}, capacity {Entries} lines / {Bytes} bytes")]
    public static partial void Started(ILogger logger, string id, int nodeId, int count, string members, bool writeThrough, int entries, long bytes);

    [LoggerMessage(201, LogLevel.Information, "bus link to {Peer} is up")]
    public static partial void LinkUp(ILogger logger, string peer);

    [LoggerMessage(202, LogLevel.Warning, "bus link to {Peer} is down ({Reason}); its lines are dropped and its copies reclaimed")]
    public static partial void LinkDown(ILogger logger, string peer, string reason);

    [LoggerMessage(203, LogLevel.Debug, "cannot reach cache peer {Peer} at {Endpoint}: {Reason}; retrying in {DelayMs} ms")]
    public static partial void DialFailed(ILogger logger, string peer, string endpoint, string reason, long delayMs);

    [LoggerMessage(204, LogLevel.Warning, "refused bus frames from {Connection} ({Principal}, says it is '{Claimed}'): {Reason}")]
    public static partial void BusRefused(ILogger logger, string connection, string principal, string claimed, string reason);
}
