using Sinkron.Nodes.Queues.Resp;
using Sinkron.Wire.Messages.Queues;

namespace Sinkron.Nodes.Queues;

/// <summary>
/// One produce on its way through its node's <see cref="StreamAppendPipe"/>: one XADD per message, whose replies
/// arrive in order and land here until the last one is in.
/// </summary>
internal sealed class PendingProduce(QueueProduce request, ProduceReply reply, ProduceBatcher batcher)
{
    private int _received;

    public QueueProduce Request => request;

    public ProduceReply Reply => reply;

    /// <summary>The entry ids Redis gave, in message order.</summary>
    public string[] Ids { get; } = new string[request.Bodies.Count];

    /// <summary>The first error Redis answered for one of its XADDs, or why the connection failed; null when all were added.</summary>
    public Exception? Error { get; private set; }

    /// <summary>The last produce of a batch: once it is answered, the batcher may send the next batch.</summary>
    public bool EndsBatch { get; set; }

    /// <summary>Takes the reply to this produce's next XADD; true when that was the last one.</summary>
    public bool Accept(in RespReply redisReply)
    {
        if (redisReply.Kind == RespReplyKind.Error)
        {
            Error ??= new StackExchange.Redis.RedisServerException(redisReply.Text);
        }
        else
        {
            Ids[_received] = redisReply.Text;
        }

        return ++_received == Ids.Length;
    }

    /// <summary>Ends the produce with <paramref name="error"/> before its replies came.</summary>
    public void Fail(Exception error) => Error ??= error;

    /// <summary>Hands the outcome to the batcher, which answers the client.</summary>
    public void Complete() => batcher.Answered(this);
}
