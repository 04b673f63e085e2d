using StackExchange.Redis;

namespace Sinkron.Bench.Macro.Scenarios;

/// <summary>
/// The baseline for consuming through the router: each step is XREADGROUP of up to a batch for the
/// user's consumer, then one XACK of what came, straight to Redis with StackExchange.Redis.
/// </summary>
internal sealed class QueueConsumeDirectScenario(QueueBacklog backlog, int batch) : IScenario
{
    public IReadOnlyList<string> Operations { get; } = QueueConsumeScenario.OperationNames;

    public Task SetupAsync(CancellationToken cancellationToken) => backlog.FillAsync();

    public async Task StepAsync(int user, ScenarioContext context, long intendedStart, CancellationToken cancellationToken)
    {
        try
        {
            var db = backlog.ByQueue[user % backlog.Queues];
            var key = Sinkron.Nodes.Queues.QueueKeys.Stream(backlog.QueueName(user));
            var entries = await db.StreamReadGroupAsync(key, QueueBacklog.Group, QueueBacklog.Consumer(user), StreamPosition.NewMessages, batch);
            if (entries.Length == 0)
            {
                context.Ok(QueueConsumeScenario.Empty, intendedStart);
                return;
            }

            var ids = new RedisValue[entries.Length];
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = entries[i].Id;
            }

            await db.StreamAcknowledgeAsync(key, QueueBacklog.Group, ids);
            QueueConsumeScenario.Record(context, entries.Length, intendedStart);
        }
        catch (RedisException ex)
        {
            context.Fail(0, ex);
        }
    }

    public ValueTask DisposeAsync() => backlog.DisposeAsync();
}
