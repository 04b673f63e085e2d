using Microsoft.Extensions.Logging;

namespace Sinkron.Nodes.Queues;

internal static partial class QueueLog
{
    [LoggerMessage(100, LogLevel.Information, "queue router over {Count} Redis nodes: {Nodes}")]
    public static partial void Started(ILogger logger, int count, string nodes);

    [LoggerMessage(101, LogLevel.Error, "queue request {Type} failed unexpectedly")]
    public static partial void Failed(ILogger logger, Exception error, Sinkron.Wire.Messages.MessageType type);

    [LoggerMessage(103, LogLevel.Warning, "retention trim of {Queue} failed; retrying on the next pass")]
    public static partial void TrimFailed(ILogger logger, Exception error, string queue);

    [LoggerMessage(102, LogLevel.Warning, "dead-lettered {Queue} {Id} after {Deliveries} deliveries")]
    public static partial void DeadLettered(ILogger logger, string queue, string id, long deliveries);
}
