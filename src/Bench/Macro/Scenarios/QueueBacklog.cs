using System.Globalization;
using Sinkron.Nodes.Queues;
using Sinkron.Wire.Transport;
using StackExchange.Redis;

namespace Sinkron.Bench.Macro.Scenarios;

/// <summary>
/// The consume scenarios' setup, straight to Redis: fresh queues for this run (the router's keys
/// and ring), each filled with its share of the backlog by pipelined XADDs and given a consumer
/// group that sees it all; the queues are deleted at the end. A queue's share follows how many users
/// consume from it (user u reads queue u mod queues), so no queue drains long before the others.
/// </summary>
internal sealed class QueueBacklog(IReadOnlyList<WireEndpoint> redis, int queues, int messages, int users) : IAsyncDisposable
{
    public const string Group = "bench";
    private static readonly ReadOnlyMemory<byte> Body = new byte[100];
    private DirectRedis? _redis;
    private readonly string _prefix = "bench-c-" + Environment.TickCount64.ToString(CultureInfo.InvariantCulture) + "-";

    /// <summary>The database holding each queue, by queue index.</summary>
    public IDatabase[] ByQueue { get; private set; } = [];

    public int Queues => queues;

    public string QueueName(int user) => _prefix + (user % queues).ToString(CultureInfo.InvariantCulture);

    public static string Consumer(int user) => "c" + user.ToString(CultureInfo.InvariantCulture);

    public async Task FillAsync()
    {
        if (redis.Count == 0)
        {
            throw new InvalidOperationException("the consume scenarios need --redis A,B,C to prepare the backlog");
        }

        var direct = _redis = await DirectRedis.ConnectAsync(redis);
        ByQueue = [.. Enumerable.Range(0, queues).Select(q => direct.For(QueueName(q)))];
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var fills = new List<Task>();
        var total = 0L;
        for (var q = 0; q < queues; q++)
        {
            var consumers = users / queues + (q < users % queues ? 1 : 0);
            var share = (int)((long)messages * consumers / users);
            total += share;
            fills.Add(FillOneAsync(ByQueue[q], QueueKeys.Stream(QueueName(q)), share));
        }

        await Task.WhenAll(fills);
        Console.WriteLine($"backlog: {total:N0} messages in {queues} queues, filled in {System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds:0.0} s");
    }

    private static async Task FillOneAsync(IDatabase db, RedisKey key, int count)
    {
        const int Chunk = 2000;
        for (var done = 0; done < count; done += Chunk)
        {
            var adds = new Task[Math.Min(Chunk, count - done)];
            for (var i = 0; i < adds.Length; i++)
            {
                adds[i] = db.StreamAddAsync(key, QueueKeys.Body, Body);
            }

            await Task.WhenAll(adds);
        }

        await db.StreamCreateConsumerGroupAsync(key, Group, StreamPosition.Beginning);
    }

    public async ValueTask DisposeAsync()
    {
        for (var q = 0; q < ByQueue.Length; q++)
        {
            await ByQueue[q].KeyDeleteAsync(QueueKeys.Stream(QueueName(q)));
        }

        if (_redis is { } direct)
        {
            await direct.DisposeAsync();
        }
    }
}
