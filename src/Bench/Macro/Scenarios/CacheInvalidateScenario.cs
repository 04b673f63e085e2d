using System.Diagnostics;
using System.Globalization;
using Sinkron.Client;
using Sinkron.Wire.Transport;

namespace Sinkron.Bench.Macro.Scenarios;

/// <summary>
/// What invalidation costs a write. Each step writes two keys nobody has written before at the
/// user's node A (<c>user % 3</c>), timing only the puts:
/// <c>put-plain</c>, a key no node holds (BusRdX → home → GrantM), and
/// <c>put-invalidating</c>, a key first read (untimed) at the two other nodes, so the home must
/// invalidate those 2 sharers and collect their acks before it grants M.
/// Fresh keys make both puts start from the same state (I at A, memory at the home), with homes
/// spread over the ring the same way, so the p50 ratio is the price of the invalidation round.
/// </summary>
internal sealed class CacheInvalidateScenario(IReadOnlyList<WireEndpoint> nodes, string certs, int clients) : IScenario
{
    private static readonly ReadOnlyMemory<byte> Value = new byte[100];
    private readonly List<SinkronClient> _clients = [];
    private readonly string _run = Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-" + Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture);
    private long _next;

    public IReadOnlyList<string> Operations { get; } = ["put-plain", "put-invalidating"];

    public async Task SetupAsync(CancellationToken cancellationToken)
    {
        if (nodes.Count < 3)
        {
            throw new InvalidOperationException($"cache-invalidate needs 3 cache nodes; --nodes gave {nodes.Count}");
        }

        for (var i = 0; i < clients; i++)
        {
            _clients.Add(CacheScenario.Connect(nodes, certs));
        }

        // Every node must reach every home before timing starts.
        for (var node = 0; node < 3; node++)
        {
            for (var k = 0; k < 30; k++)
            {
                var key = $"inv-{_run}-warm{node}-{k}";
                await CacheScenario.UntilAvailableAsync(() => _clients[0].Cache.PutAsync(key, Value, node, cancellationToken: cancellationToken), cancellationToken);
            }
        }
    }

    public async Task StepAsync(int user, ScenarioContext context, long intendedStart, CancellationToken cancellationToken)
    {
        var cache = _clients[user % _clients.Count].Cache;
        var writer = user % 3;
        var step = Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture);
        var plain = $"inv-{_run}-p{step}";
        var shared = $"inv-{_run}-s{step}";
        await TimedPutAsync(cache, plain, writer, context, operation: 0);

        try
        {
            await cache.GetAsync(shared, (writer + 1) % 3, CancellationToken.None);
            await cache.GetAsync(shared, (writer + 2) % 3, CancellationToken.None);
        }
        catch (SinkronException)
        {
            return;
        }

        await TimedPutAsync(cache, shared, writer, context, operation: 1);
    }

    private static async Task TimedPutAsync(CacheClient cache, string key, int node, ScenarioContext context, int operation)
    {
        try
        {
            var start = Stopwatch.GetTimestamp();
            await cache.PutAsync(key, Value, node, cancellationToken: CancellationToken.None);
            context.Ok(operation, start);
        }
        catch (SinkronException ex)
        {
            context.Fail(operation, ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_clients.Count > 0)
        {
            ulong sent = 0;
            for (var node = 0; node < 3; node++)
            {
                sent += (await _clients[0].Cache.StatsAsync(node)).InvalidationsSent;
            }

            Console.WriteLine($"cache-invalidate: the 3 nodes sent {sent} invalidations for {Interlocked.Read(ref _next)} invalidating puts started");
        }

        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }
    }
}
