using System.Text;
using Sinkron.Tests.Infrastructure;
using Sinkron.Wire.Messages;

namespace Sinkron.Tests.Queues;

/// <summary>Kills: a redis-server under load, and the router itself. Nothing acknowledged may be lost.</summary>
public class QueueFailureIntegrationTests(QueueClusterFixture cluster) : IClassFixture<QueueClusterFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Redis_killed_under_produce_load_loses_no_acknowledged_message()
    {
        const string queue = "durable";
        await cluster.Client.Queues.CreateGroupAsync(queue, "g");
        var home = (await cluster.Client.Queues.StatsAsync(queue)).Queues.Single().Node;
        var redis = cluster.Redis.Single(r => r.Id == home);
        var other = Enumerable.Range(0, 100).Select(i => $"other-{i}").First(q => NodeOf(q).Result != home);

        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<string>();
        var unavailable = 0;
        using var stop = new CancellationTokenSource();
        var producers = Enumerable.Range(0, 8).Select(async p =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var body = $"p{p}-{i}";
                try
                {
                    await cluster.Client.Queues.ProduceAsync(queue, body);
                    acknowledged.Add(body);
                }
                catch (SinkronException ex) when (ex.IsRetryable)
                {
                    Interlocked.Increment(ref unavailable);
                    await Task.Delay(5);
                }
            }
        }).ToArray();

        await Poll.UntilAsync(() => acknowledged.Count > 200, Wait, "produce load");
        redis.Kill();

        // While the node is down its queues say UNAVAILABLE and name it; other queues keep working.
        var down = await Assert.ThrowsAsync<SinkronException>(() => cluster.Client.Queues.ProduceAsync(queue, "probe-while-down"));
        Assert.Equal(ErrorCode.Unavailable, down.Code);
        Assert.Contains(home, down.Message, StringComparison.Ordinal);
        Assert.NotEmpty(await cluster.Client.Queues.ProduceAsync(other, "elsewhere"));

        await redis.StartAsync();
        await Poll.UntilAsync(async () =>
        {
            try
            {
                await cluster.Client.Queues.ProduceAsync(queue, "probe-after");
                return true;
            }
            catch (SinkronException)
            {
                return false;
            }
        }, Wait, "the router to reconnect to the restarted node");
        var before = acknowledged.Count;
        await Poll.UntilAsync(() => acknowledged.Count > before + 100, Wait, "produce load after the restart");
        await stop.CancelAsync();
        await Task.WhenAll(producers);
        Assert.True(unavailable > 0, "producers should have seen the outage");

        var consumed = new HashSet<string>();
        while (true)
        {
            var batch = await cluster.Client.Queues.ConsumeAsync(queue, "g", "checker", 1000, TimeSpan.FromMilliseconds(300));
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var message in batch)
            {
                consumed.Add(Encoding.UTF8.GetString(message.Body.Span));
            }

            await cluster.Client.Queues.AckAsync(queue, "g", [.. batch.Select(m => m.Id)]);
        }

        var lost = acknowledged.Where(body => !consumed.Contains(body)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} of {acknowledged.Count} acknowledged messages were lost, e.g. {string.Join(", ", lost.Take(5))}");
    }

    [Fact]
    public async Task Router_restart_loses_nothing()
    {
        const string queue = "router-restart";
        await cluster.Client.Queues.CreateGroupAsync(queue, "g");
        var ids = await cluster.Client.Queues.ProduceBatchAsync(queue, [.. Enumerable.Range(0, 100).Select(i => (ReadOnlyMemory<byte>)BitConverter.GetBytes(i))]);
        await cluster.RestartRouterAsync();

        var received = new List<string>();
        await Poll.UntilAsync(async () =>
        {
            received.AddRange((await cluster.Client.Queues.ConsumeAsync(queue, "g", "c", 1000, TimeSpan.FromMilliseconds(200))).Select(m => m.Id));
            return received.Count >= ids.Count;
        }, Wait, "every message after the router restart");
        Assert.Equal(ids, received);
    }

    [Fact]
    public async Task Produce_while_Redis_is_busy_gets_a_retryable_error_and_works_once_it_is_free()
    {
        const string queue = "busy-node";
        var home = await NodeOf(queue);
        var redis = cluster.Redis.Single(r => r.Id == home);

        // A script that runs for 2 s, with Redis answering BUSY to everyone else after 10 ms of it.
        Assert.StartsWith("+OK", await redis.CommandAsync("CONFIG SET busy-reply-threshold 10"), StringComparison.Ordinal);
        try
        {
            var script = redis.CommandAsync("EVAL \"local s = redis.call('TIME')[1] while redis.call('TIME')[1] - s < 2 do end return 1\" 0");
            SinkronException? busy = null;
            await Poll.UntilAsync(async () =>
            {
                try
                {
                    await cluster.Client.Queues.ProduceAsync(queue, "while busy");
                    return false;
                }
                catch (SinkronException ex)
                {
                    busy = ex;
                    return true;
                }
            }, Wait, "a produce refused while Redis runs the script");

            Assert.Equal(ErrorCode.Unavailable, busy!.Code);
            Assert.True(busy.IsRetryable);
            Assert.Contains("BUSY", busy.Message, StringComparison.Ordinal);
            Assert.StartsWith(":1", await script, StringComparison.Ordinal);
        }
        finally
        {
            await redis.CommandAsync("CONFIG SET busy-reply-threshold 5000");
        }

        Assert.NotEmpty(await cluster.Client.Queues.ProduceAsync(queue, "after"));
    }

    private async Task<string> NodeOf(string queue)
    {
        await cluster.Client.Queues.ProduceAsync(queue, "placement");
        return (await cluster.Client.Queues.StatsAsync(queue)).Queues.Single().Node;
    }
}
