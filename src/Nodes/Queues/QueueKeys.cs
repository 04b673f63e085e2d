using System.Text;
using Sinkron.Wire.Messages;
using StackExchange.Redis;

namespace Sinkron.Nodes.Queues;

/// <summary>Where a queue lives in Redis, and which names are acceptable.</summary>
internal static class QueueKeys
{
    /// <summary>Set, on each Redis node, of the queues it holds (for STATS after a router restart).</summary>
    public static readonly RedisKey Registry = "sinkron:queues";

    private const string Prefix = "sinkron:q:";
    private const string BodyName = "b";

    /// <summary>The stream field that carries a message body.</summary>
    public static readonly RedisValue Body = BodyName;

    /// <summary>What precedes the queue's name in its stream's key, in UTF-8, for the produce path's own XADDs.</summary>
    public static readonly byte[] StreamPrefix = Encoding.UTF8.GetBytes(Prefix);

    /// <summary><see cref="Body"/> in UTF-8.</summary>
    public static readonly byte[] BodyField = Encoding.UTF8.GetBytes(BodyName);

    public static RedisKey Stream(string queue) => Prefix + queue;

    public static RedisKey DeadLetters(string queue) => Prefix + queue + ":dead";

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
