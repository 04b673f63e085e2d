using Sinkron.Nodes.Ring;
using Sinkron.Wire.Transport;
using StackExchange.Redis;

namespace Sinkron.Bench.Macro.Scenarios;

/// <summary>
/// The Redis nodes the router uses, reached straight with StackExchange.Redis (one multiplexer
/// each) and placed on the router's ring, so a direct scenario sends a queue to the node the
/// router would.
/// </summary>
internal sealed class DirectRedis : IAsyncDisposable
{
    private readonly List<ConnectionMultiplexer> _multiplexers = [];
    private readonly Dictionary<string, IDatabase> _databases = [];
    private HashRing _ring = null!;

    private DirectRedis()
    {
    }

    /// <summary>Connects to <paramref name="redis"/>, in ring order (redis1, redis2, redis3).</summary>
    public static async Task<DirectRedis> ConnectAsync(IReadOnlyList<WireEndpoint> redis)
    {
        var direct = new DirectRedis();
        var ids = redis.Select((_, i) => $"redis{i + 1}").ToArray();
        direct._ring = new HashRing(ids.Select(id => new RingNode(id)));
        for (var i = 0; i < redis.Count; i++)
        {
            var multiplexer = await ConnectionMultiplexer.ConnectAsync($"{redis[i].Host}:{redis[i].Port}");
            direct._multiplexers.Add(multiplexer);
            direct._databases[ids[i]] = multiplexer.GetDatabase();
        }

        return direct;
    }

    /// <summary>The database holding <paramref name="queue"/>.</summary>
    public IDatabase For(string queue) => _databases[_ring.Lookup(queue)];

    public async ValueTask DisposeAsync()
    {
        foreach (var multiplexer in _multiplexers)
        {
            await multiplexer.DisposeAsync();
        }
    }
}
