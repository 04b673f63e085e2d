using Sinkron.Wire.Messages;
using StackExchange.Redis;

namespace Sinkron.Nodes.Queues;

/// <summary>Where a queue lives in Redis, and which names are acceptable.</summary>
internal static class QueueKeys
{
    /// <summary>Set, on each Redis node, of the queues it holds (for STATS after a router restart).</summary>
    public static readonly RedisKey Registry = "sinkron:queues";

    /// <summary>The stream field that carries a message body.</summary>
    public static readonly RedisValue Body = "b";

    public static RedisKey Stream(string queue) => "sinkron:q:" + queue;

    public static RedisKey DeadLetters(string queue) => "sinkron:q:" + queue + ":dead";

    public static void Validate(string queue, string what = "queue")
    {
        if (string.IsNullOrWhiteSpace(queue))
        {
            throw new QueueException(ErrorCode.InvalidArgument, $"the {what} name is empty");
        }

        if (queue.Length > 200)
        {
            throw new QueueException(ErrorCode.InvalidArgument, $"the {what} name is longer than 200 characters");
        }

        foreach (var c in queue)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c))
            {
                throw new QueueException(ErrorCode.InvalidArgument, $"the {what} name '{queue}' contains a space or control character");
            }
        }
    }
}
