using Sinkron.Wire.Messages;

namespace Sinkron.Nodes.Queues;

/// <summary>A queue request that fails with a wire error code; the message tells the client what to do.</summary>
internal sealed class QueueException(ErrorCode code, string message) : Exception(message)
{
    public ErrorCode Code { get; } = code;
}
