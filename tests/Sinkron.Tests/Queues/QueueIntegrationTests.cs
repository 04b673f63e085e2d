using System.Text;
using Sinkron.Tests.Infrastructure;
using Sinkron.Wire.Messages;

namespace Sinkron.Tests.Queues;

/// <summary>The queue service end to end: a real router process in front of three real redis-server processes.</summary>
public class QueueIntegrationTests(QueueClusterFixture cluster) : IClassFixture<QueueClusterFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Produce_consume_ack_round_trip_across_queues_on_all_three_nodes()
    {
        var queues = Enumerable.Range(0, 30).Select(i => $"rt-{i}").ToArray();
        foreach (var queue in queues)
        {
            await cluster.Client.Queues.CreateGroupAsync(queue, "g");
            await cluster.Client.Queues.ProduceAsync(queue, $"hello {queue}");
        }

        var stats = await cluster.Client.Queues.StatsAsync();
        var nodesUsed = stats.Queues.Where(q => q.Name.StartsWith("rt-", StringComparison.Ordinal)).Select(q => q.Node).Distinct().Count();
        Assert.Equal(3, nodesUsed);

        foreach (var queue in queues)
        {
            var received = await cluster.Client.Queues.ConsumeAsync(queue, "g", "c", 10, TimeSpan.FromSeconds(1));
            var message = Assert.Single(received);
            Assert.Equal($"hello {queue}", Encoding.UTF8.GetString(message.Body.Span));
            Assert.Equal(1u, message.DeliveryCount);
            Assert.Equal(1, await cluster.Client.Queues.AckAsync(queue, "g", [message.Id]));
        }

        var after = await cluster.Client.Queues.StatsAsync("rt-0");
        Assert.Equal(0ul, after.Queues.Single().Groups.Single().Pending);
    }

    [Fact]
    public async Task Concurrent_produces_batched_together_each_get_their_own_ids_in_their_own_queue()
    {
        // Many produces at once share Redis round trips (one write of pipelined XADDs per batch and
        // node); each must still land in its own queue, in its own order, under the ids it was answered with.
        var queues = Enumerable.Range(0, 6).Select(i => $"batched-{i}").ToArray();
        foreach (var queue in queues)
        {
            await cluster.Client.Queues.CreateGroupAsync(queue, "g");
        }

        var produces = Enumerable.Range(0, 120).Select(async p =>
        {
            var queue = queues[p % queues.Length];
            var bodies = Enumerable.Range(0, 1 + (p % 3)).Select(m => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes($"{p}/{m}")).ToArray();
            var ids = await cluster.Client.Queues.ProduceBatchAsync(queue, bodies);
            return (queue, ids, bodies: bodies.Select(b => Encoding.UTF8.GetString(b.Span)).ToArray());
        }).ToArray();
        var answered = await Task.WhenAll(produces);

        foreach (var queue in queues)
        {
            var expected = answered.Where(a => a.queue == queue)
                .SelectMany(a => a.ids.Zip(a.bodies))
                .ToDictionary(pair => pair.First, pair => pair.Second);
            var received = new List<(string Id, string Body)>();
            while (received.Count < expected.Count)
            {
                var batch = await cluster.Client.Queues.ConsumeAsync(queue, "g", "c", 100, TimeSpan.FromSeconds(1));
                Assert.NotEmpty(batch);
                received.AddRange(batch.Select(m => (m.Id, Encoding.UTF8.GetString(m.Body.Span))));
            }

            Assert.Equal(expected.Count, received.Count);
            foreach (var (id, body) in received)
            {
                Assert.Equal(expected[id], body);
            }

            // Within one produce, messages keep their order.
            foreach (var group in received.GroupBy(r => r.Body.Split('/')[0]))
            {
                Assert.Equal(group.OrderBy(r => r.Body, StringComparer.Ordinal).Select(r => r.Id), group.Select(r => r.Id));
            }
        }
    }

    [Fact]
    public async Task Two_live_consumers_in_a_group_never_receive_the_same_message()
    {
        const string queue = "pair";
        await cluster.Client.Queues.CreateGroupAsync(queue, "g");
        var produced = await cluster.Client.Queues.ProduceBatchAsync(queue, [.. Enumerable.Range(0, 300).Select(i => (ReadOnlyMemory<byte>)BitConverter.GetBytes(i))]);

        var seen = new[] { new List<string>(), new List<string>() };
        var consumers = Enumerable.Range(0, 2).Select(async c =>
        {
            while (true)
            {
                var batch = await cluster.Client.Queues.ConsumeAsync(queue, "g", $"c{c}", 7, TimeSpan.FromMilliseconds(300));
                if (batch.Count == 0)
                {
                    return;
                }

                seen[c].AddRange(batch.Select(m => m.Id));
                await cluster.Client.Queues.AckAsync(queue, "g", [.. batch.Select(m => m.Id)]);
            }
        });
        await Task.WhenAll(consumers);

        Assert.Empty(seen[0].Intersect(seen[1]));
        Assert.Equal(produced.Order(), seen[0].Concat(seen[1]).Order());
    }

    [Fact]
    public async Task Unacknowledged_messages_of_a_dead_consumer_go_to_another_with_delivery_count_2()
    {
        const string queue = "crash";
        await cluster.Client.Queues.CreateGroupAsync(queue, "g");
        await cluster.Client.Queues.ProduceBatchAsync(queue, [Encoding.UTF8.GetBytes("a"), Encoding.UTF8.GetBytes("b")]);

        // The first consumer takes both and dies without acking: its client goes away.
        await using (var doomed = cluster.NewClient("client"))
        {
            Assert.Equal(2, (await doomed.Queues.ConsumeAsync(queue, "g", "doomed", 10)).Count);
        }

        var redelivered = new List<Sinkron.Wire.Messages.Queues.QueueMessage>();
        await Poll.UntilAsync(async () =>
        {
            redelivered.AddRange(await cluster.Client.Queues.ConsumeAsync(queue, "g", "survivor", 10, TimeSpan.FromMilliseconds(200)));
            return redelivered.Count >= 2;
        }, Wait, "redelivery after the visibility timeout");

        Assert.All(redelivered, m => Assert.Equal(2u, m.DeliveryCount));
        Assert.Equal(["a", "b"], redelivered.Select(m => Encoding.UTF8.GetString(m.Body.Span)).Order());
    }

    [Fact]
    public async Task Restarted_consumer_first_gets_its_own_pending_messages()
    {
        const string queue = "restart-consumer";
        await cluster.Client.Queues.CreateGroupAsync(queue, "g");
        await cluster.Client.Queues.ProduceAsync(queue, "work");
        await using (var first = cluster.NewClient("client"))
        {
            Assert.Single(await first.Queues.ConsumeAsync(queue, "g", "worker-1", 10));
        }

        await using var restarted = cluster.NewClient("client");
        var replayed = Assert.Single(await restarted.Queues.ConsumeAsync(queue, "g", "worker-1", 10));
        Assert.Equal("work", Encoding.UTF8.GetString(replayed.Body.Span));
    }

    [Fact]
    public async Task Poison_message_is_dead_lettered_after_max_deliveries_and_redriven()
    {
        const string queue = "poison";
        await cluster.Client.Queues.CreateGroupAsync(queue, "g");
        await cluster.Client.Queues.ProduceAsync(queue, "bad");

        // Never acked: delivered 3 times (the maximum), then moved to the dead-letter stream.
        var deliveries = 0;
        await Poll.UntilAsync(async () =>
        {
            deliveries += (await cluster.Client.Queues.ConsumeAsync(queue, "g", "c", 10, TimeSpan.FromMilliseconds(200))).Count;
            var stats = (await cluster.Client.Queues.StatsAsync(queue)).Queues.Single();
            return stats.DeadLetters == 1;
        }, Wait, "the poison message to be dead-lettered");
        Assert.Equal(3, deliveries);

        var refused = await Assert.ThrowsAsync<SinkronException>(() => cluster.Client.Queues.RedriveAsync(queue));
        Assert.Equal(ErrorCode.Forbidden, refused.Code);
        Assert.Equal(1, await cluster.Admin.Queues.RedriveAsync(queue));
        var back = Assert.Single(await cluster.Client.Queues.ConsumeAsync(queue, "g", "c", 10, TimeSpan.FromSeconds(2)));
        Assert.Equal("bad", Encoding.UTF8.GetString(back.Body.Span));
        Assert.Equal(0ul, (await cluster.Client.Queues.StatsAsync(queue)).Queues.Single().DeadLetters);
    }

    [Fact]
    public async Task Nack_makes_a_message_available_again_at_once()
    {
        const string queue = "nack";
        await cluster.Client.Queues.CreateGroupAsync(queue, "g");
        await cluster.Client.Queues.ProduceAsync(queue, "retry me");
        var first = Assert.Single(await cluster.Client.Queues.ConsumeAsync(queue, "g", "c1", 10));
        Assert.Equal(1, await cluster.Client.Queues.NackAsync(queue, "g", [first.Id]));
        var again = Assert.Single(await cluster.Client.Queues.ConsumeAsync(queue, "g", "c2", 10, TimeSpan.FromSeconds(2)));
        Assert.Equal(first.Id, again.Id);
    }

    [Fact]
    public async Task Long_poll_answers_when_a_message_arrives()
    {
        const string queue = "longpoll";
        await cluster.Client.Queues.CreateGroupAsync(queue, "g", fromStart: false);
        var waiting = cluster.Client.Queues.ConsumeAsync(queue, "g", "c", 10, TimeSpan.FromSeconds(15));
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);
        await cluster.Client.Queues.ProduceAsync(queue, "wake");
        var received = await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("wake", Encoding.UTF8.GetString(Assert.Single(received).Body.Span));
    }

    [Fact]
    public async Task Retention_never_trims_unacknowledged_messages()
    {
        const string queue = "retention";
        await cluster.Client.Queues.CreateGroupAsync(queue, "g");
        var ids = await cluster.Client.Queues.ProduceBatchAsync(queue, [.. Enumerable.Range(0, 50).Select(i => (ReadOnlyMemory<byte>)BitConverter.GetBytes(i))], maxLength: 10);
        var received = await cluster.Client.Queues.ConsumeAsync(queue, "g", "c", 20);
        await cluster.Client.Queues.AckAsync(queue, "g", [.. received.Select(m => m.Id)]);

        // 20 acknowledged, 30 not yet delivered: the trimmer may drop only the acknowledged ones.
        await Poll.UntilAsync(async () => (await cluster.Client.Queues.StatsAsync(queue)).Queues.Single().Length == 30, Wait, "trimming to the unacknowledged 30");
        var rest = await cluster.Client.Queues.ConsumeAsync(queue, "g", "c", 100);
        Assert.Equal(ids.Skip(20), rest.Select(m => m.Id));
    }

    [Theory]
    [InlineData("", "g", ErrorCode.InvalidArgument)]
    [InlineData("has space", "g", ErrorCode.InvalidArgument)]
    [InlineData("bad-input-queue", "no-such-group", ErrorCode.NotFound)]
    public async Task Bad_consume_requests_get_clear_errors(string queue, string group, ErrorCode expected)
    {
        await cluster.Client.Queues.ProduceAsync("bad-input-queue", "x");
        var error = await Assert.ThrowsAsync<SinkronException>(() => cluster.Client.Queues.ConsumeAsync(queue, group, "c", 1));
        Assert.Equal(expected, error.Code);
        Assert.NotEmpty(await cluster.Client.Queues.ProduceAsync("bad-input-queue", "still served"));
    }

    [Fact]
    public async Task Oversize_message_is_refused_and_the_router_keeps_serving()
    {
        var error = await Assert.ThrowsAsync<SinkronException>(() => cluster.Client.Queues.ProduceAsync("big", new byte[5000]));
        Assert.Equal(ErrorCode.InvalidArgument, error.Code);
        Assert.Contains("above the limit", error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(await cluster.Client.Queues.ProduceAsync("big", new byte[100]));
    }

    [Fact]
    public async Task A_produce_Redis_refuses_gets_Redis_error_and_the_produces_batched_with_it_are_added()
    {
        // A string where the queue's stream should be: Redis refuses every XADD to it.
        const string broken = "wrong-type";
        foreach (var redis in cluster.Redis)
        {
            Assert.StartsWith("+OK", await redis.CommandAsync($"SET sinkron:q:{broken} not-a-stream"), StringComparison.Ordinal);
        }

        try
        {
            var produces = Enumerable.Range(0, 60).Select(async p =>
            {
                var queue = p % 3 == 0 ? broken : $"beside-broken-{p % 5}";
                try
                {
                    return (queue, ids: await cluster.Client.Queues.ProduceBatchAsync(queue, [Encoding.UTF8.GetBytes($"m{p}"), Encoding.UTF8.GetBytes($"n{p}")]), error: (SinkronException?)null);
                }
                catch (SinkronException ex)
                {
                    return (queue, ids: (IReadOnlyList<string>)[], error: ex);
                }
            });
            var outcomes = await Task.WhenAll(produces);

            foreach (var (queue, ids, error) in outcomes)
            {
                if (queue == broken)
                {
                    Assert.NotNull(error);
                    Assert.Contains("WRONGTYPE", error.Message, StringComparison.Ordinal);
                }
                else
                {
                    Assert.Null(error);
                    Assert.Equal(2, ids.Count);
                }
            }

            Assert.NotEmpty(await cluster.Client.Queues.ProduceAsync("beside-broken-0", "still served"));
        }
        finally
        {
            foreach (var redis in cluster.Redis)
            {
                await redis.CommandAsync($"DEL sinkron:q:{broken}");
            }
        }
    }
}
