using Sinkron.Nodes.Queues;
using Sinkron.Nodes.Ring;
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
    private readonly List<ConnectionMultiplexer> _multiplexers = [];
    private IDatabase[] _byQueue = [];

    public IReadOnlyList<string> Operations { get; } = ["xadd"];

    public async Task SetupAsync(CancellationToken cancellationToken)
    {
        var ids = redis.Select((_, i) => $"redis{i + 1}").ToArray();
        var ring = new HashRing(ids.Select(id => new RingNode(id)));
        var databases = new Dictionary<string, IDatabase>();
        for (var i = 0; i < redis.Count; i++)
        {
            var multiplexer = await ConnectionMultiplexer.ConnectAsync($"{redis[i].Host}:{redis[i].Port}");
            _multiplexers.Add(multiplexer);
            databases[ids[i]] = multiplexer.GetDatabase();
        }

        _byQueue = [.. Enumerable.Range(0, queues).Select(q => databases[ring.Lookup(QueueProduceScenario.QueueName(q, queues))])];
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

    public async ValueTask DisposeAsync()
    {
        foreach (var multiplexer in _multiplexers)
        {
            await multiplexer.DisposeAsync();
        }
    }
}
