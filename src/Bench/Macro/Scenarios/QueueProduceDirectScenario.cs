using Sinkron.Nodes.Queues;
using Sinkron.Wire.Transport;
using StackExchange.Redis;

namespace Sinkron.Bench.Macro.Scenarios;

/// <summary>
/// The baseline for the router: the same produce load sent straight to the same Redis nodes with
/// StackExchange.Redis (one multiplexer per node, the same ring and stream keys), no TLS, no router.
/// </summary>
internal sealed class QueueProduceDirectScenario(IReadOnlyList<WireEndpoint> redis, int queues) : IScenario
{
    private static readonly ReadOnlyMemory<byte> Body = new byte[100];
    private DirectRedis? _redis;
    private IDatabase[] _byQueue = [];

    public IReadOnlyList<string> Operations { get; } = ["xadd"];

    public async Task SetupAsync(CancellationToken cancellationToken)
    {
        var direct = _redis = await DirectRedis.ConnectAsync(redis);
        _byQueue = [.. Enumerable.Range(0, queues).Select(q => direct.For(QueueProduceScenario.QueueName(q, queues)))];
    }

    public async Task StepAsync(int user, ScenarioContext context, long intendedStart, CancellationToken cancellationToken)
    {
        try
        {
            await _byQueue[user % _byQueue.Length].StreamAddAsync(QueueKeys.Stream(QueueProduceScenario.QueueName(user, _byQueue.Length)), QueueKeys.Body, Body);
            context.Ok(0, intendedStart);
        }
        catch (RedisException ex)
        {
            context.Fail(0, ex);
        }
    }

    public ValueTask DisposeAsync() => _redis?.DisposeAsync() ?? ValueTask.CompletedTask;
}
