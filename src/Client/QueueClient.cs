using System.Text;
using Sinkron.Wire.Messages;
using Sinkron.Wire.Messages.Queues;

namespace Sinkron.Client;

/// <summary>
/// The queue service: produce, consumer groups, at-least-once consume, ack and nack. Obtain it
/// from <see cref="SinkronClient.Queues"/>. Requests go to the first queue router that answers.
/// </summary>
public sealed class QueueClient
{
    private readonly SinkronClient _client;
    private readonly HashSet<(string Queue, string Group, string Consumer)> _started = [];

    internal QueueClient(SinkronClient client) => _client = client;

    /// <summary>Appends one message and returns its id. Acknowledged means durable in Redis' append-only file.</summary>
    /// <exception cref="SinkronException">INVALID_ARGUMENT for an empty name or oversize message; UNAVAILABLE while the queue's Redis node is down (retry).</exception>
    public async Task<string> ProduceAsync(string queue, ReadOnlyMemory<byte> body, CancellationToken cancellationToken = default)
        => (await ProduceBatchAsync(queue, [body], 0, cancellationToken))[0];

    /// <summary>Appends one UTF-8 text message and returns its id.</summary>
    public Task<string> ProduceAsync(string queue, string text, CancellationToken cancellationToken = default)
        => ProduceAsync(queue, Encoding.UTF8.GetBytes(text), cancellationToken);

    /// <summary>
    /// Appends messages in one request and returns their ids in order. With <paramref name="maxLength"/> &gt; 0 the
    /// queue is trimmed toward that length, but never past entries a consumer group has not acknowledged.
    /// </summary>
    public async Task<IReadOnlyList<string>> ProduceBatchAsync(string queue, IReadOnlyList<ReadOnlyMemory<byte>> bodies, uint maxLength = 0, CancellationToken cancellationToken = default)
        => (await SendAsync<QueueProduce, QueueIds>(MessageType.QueueProduce, new QueueProduce(queue, maxLength, bodies), cancellationToken)).Ids;

    /// <summary>Creates a consumer group; false when it already existed.</summary>
    /// <param name="queue">The queue.</param>
    /// <param name="group">The group name.</param>
    /// <param name="fromStart">True: the group sees messages already in the queue; false: only new ones.</param>
    /// <param name="cancellationToken">Cancels the wait for the answer.</param>
    public async Task<bool> CreateGroupAsync(string queue, string group, bool fromStart = true, CancellationToken cancellationToken = default)
        => (await SendAsync<QueueCreateGroup, QueueCount>(MessageType.QueueCreateGroup, new QueueCreateGroup(queue, group, fromStart), cancellationToken)).Count == 1;

    /// <summary>
    /// Receives up to <paramref name="maxCount"/> messages for <paramref name="consumer"/> of <paramref name="group"/>,
    /// waiting up to <paramref name="wait"/> when none is ready. The first call for a consumer name in this client
    /// returns that consumer's unacknowledged messages first (a restarted consumer finishes its work). Messages not
    /// acknowledged within the router's visibility timeout are delivered again, with a higher delivery count.
    /// </summary>
    /// <exception cref="SinkronException">NOT_FOUND when the group does not exist.</exception>
    public async Task<IReadOnlyList<QueueMessage>> ConsumeAsync(string queue, string group, string consumer, int maxCount = 10, TimeSpan wait = default, CancellationToken cancellationToken = default)
    {
        bool replay;
        lock (_started)
        {
            replay = _started.Add((queue, group, consumer));
        }

        var request = new QueueConsume(queue, group, consumer, (ushort)Math.Clamp(maxCount, 1, 1000), (uint)Math.Max(0, wait.TotalMilliseconds), replay);
        return (await SendAsync<QueueConsume, QueueMessages>(MessageType.QueueConsume, request, cancellationToken, wait)).Messages;
    }

    /// <summary>Acknowledges messages; returns how many were pending.</summary>
    public async Task<int> AckAsync(string queue, string group, IReadOnlyList<string> ids, CancellationToken cancellationToken = default)
        => (int)(await SendAsync<QueueAckRequest, QueueCount>(MessageType.QueueAck, new QueueAckRequest(queue, group, ids), cancellationToken)).Count;

    /// <summary>Releases messages for redelivery now instead of after the visibility timeout.</summary>
    public async Task<int> NackAsync(string queue, string group, IReadOnlyList<string> ids, CancellationToken cancellationToken = default)
        => (int)(await SendAsync<QueueAckRequest, QueueCount>(MessageType.QueueNack, new QueueAckRequest(queue, group, ids), cancellationToken)).Count;

    /// <summary>Moves up to <paramref name="max"/> dead letters back into the queue (needs an admin certificate).</summary>
    public async Task<int> RedriveAsync(string queue, int max = 1000, CancellationToken cancellationToken = default)
        => (int)(await SendAsync<QueueRedrive, QueueCount>(MessageType.QueueRedrive, new QueueRedrive(queue, (uint)max), cancellationToken)).Count;

    /// <summary>Statistics for one queue, or all (empty name), and for every Redis node.</summary>
    public Task<QueueStatsResponse> StatsAsync(string queue = "", CancellationToken cancellationToken = default)
        => SendAsync<QueueStatsRequest, QueueStatsResponse>(MessageType.QueueStats, new QueueStatsRequest(queue), cancellationToken);

    private async Task<TResponse> SendAsync<TRequest, TResponse>(MessageType type, TRequest request, CancellationToken cancellationToken, TimeSpan extraWait = default)
        where TRequest : IWireMessage<TRequest>
        where TResponse : IWireMessage<TResponse>
    {
        var routers = _client.Options.QueueNodes;
        if (routers.Count == 0)
        {
            throw new SinkronException(ErrorCode.InvalidArgument, "no queue router configured (SinkronClientOptions.QueueNodes)");
        }

        SinkronException? last = null;
        foreach (var router in routers)
        {
            try
            {
                var connection = await _client.Channel(router).GetConnectionAsync(cancellationToken);

                // A long poll may legitimately outlast the request timeout by its wait.
                return await connection.SendAsync<TRequest, TResponse>(type, request, cancellationToken, _client.Options.Connection.RequestTimeout + extraWait);
            }
            catch (SinkronException ex) when (ex.Code is ErrorCode.ConnectionClosed or ErrorCode.Unavailable && ex.Message.Contains(router.ToString(), StringComparison.Ordinal))
            {
                last = ex;
            }
        }

        throw last!;
    }
}
