using Sinkron.Client;
using Sinkron.Wire.Transport;

namespace Sinkron.Bench.Macro.Scenarios;

/// <summary>
/// Gets that hit: every key is written and read once at the node asked (so that node holds a valid
/// line) in setup, then every step reads one of them there. All users ask the same node, so this
/// measures one node's client path: mTLS, framing, the core's hit, the reply.
/// </summary>
internal sealed class CacheHitScenario(IReadOnlyList<WireEndpoint> nodes, string certs, int clients, int keys) : IScenario
{
    private static readonly ReadOnlyMemory<byte> Value = new byte[100];
    private readonly List<SinkronClient> _clients = [];
    private readonly string[] _names = CacheScenario.KeyNames("bench-hit-", keys);
    private long _misses;
    private ulong _hitsBefore;
    private ulong _missesBefore;

    public IReadOnlyList<string> Operations { get; } = ["get"];

    public async Task SetupAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < clients; i++)
        {
            _clients.Add(CacheScenario.Connect(nodes, certs));
        }

        await Parallel.ForAsync(0, _names.Length, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var cache = _clients[i % _clients.Count].Cache;
            await CacheScenario.UntilAvailableAsync(() => cache.PutAsync(_names[i], Value, 0, cancellationToken: ct), ct);
            await cache.GetAsync(_names[i], 0, ct);
        });
        var before = await _clients[0].Cache.StatsAsync(0, cancellationToken);
        (_hitsBefore, _missesBefore) = (before.Hits, before.Misses);
    }

    public async Task StepAsync(int user, ScenarioContext context, long intendedStart, CancellationToken cancellationToken)
    {
        try
        {
            var entry = await _clients[user % _clients.Count].Cache.GetAsync(_names[Random.Shared.Next(_names.Length)], 0, CancellationToken.None);
            if (!entry.Found)
            {
                Interlocked.Increment(ref _misses);
            }

            context.Ok(0, intendedStart);
        }
        catch (SinkronException ex)
        {
            context.Fail(0, ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_clients.Count > 0)
        {
            // The node's own count says whether the gets really hit; a miss would go to the key's home.
            var stats = await _clients[0].Cache.StatsAsync(0);
            Console.WriteLine($"cache-hit: after setup node 1 counted {stats.Hits - _hitsBefore} hits, {stats.Misses - _missesBefore} misses; {Interlocked.Read(ref _misses)} gets found no value");
        }

        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }
    }
}
