using System.Buffers;
using System.Text;
using Sinkron.Wire.Messages;
using Sinkron.Wire.Messages.Cache;
using Sinkron.Wire.Transport;

namespace Sinkron.Client;

/// <summary>
/// The coherent cache: read and write any key at any cache node; the nodes keep their copies
/// coherent with MESI, so a read that starts after a write was acknowledged never returns an older
/// value. Obtain it from <see cref="SinkronClient.Cache"/>. Each call names which of
/// <see cref="SinkronClientOptions.CacheNodes"/> to ask (0 = the first).
/// </summary>
public sealed class CacheClient
{
    private readonly SinkronClient _client;

    internal CacheClient(SinkronClient client) => _client = client;

    /// <summary>Reads a key at cache node <paramref name="node"/>.</summary>
    /// <exception cref="SinkronException">INVALID_ARGUMENT for an empty or oversize key; UNAVAILABLE while the key's home node is down (retry).</exception>
    public async Task<CacheEntry> GetAsync(string key, int node = 0, CancellationToken cancellationToken = default)
    {
        var result = await SendAsync<CacheKey>(MessageType.CacheGet, new CacheKey(Utf8(key)), node, cancellationToken);
        return new CacheEntry(result.Status == CacheResultStatus.Ok, result.Value, result.State, result.Version);
    }

    /// <summary>Writes a key at cache node <paramref name="node"/>; with <paramref name="ttl"/> the key is deleted once it runs out.</summary>
    /// <exception cref="SinkronException">INVALID_ARGUMENT for an empty or oversize key, or a value above 1 MiB; UNAVAILABLE while the key's home node is down.</exception>
    public async Task<CacheWriteResult> PutAsync(string key, ReadOnlyMemory<byte> value, int node = 0, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
    {
        var ttlMs = ttl is { } t ? (uint)Math.Clamp(Math.Ceiling(t.TotalMilliseconds), 1, uint.MaxValue) : 0u;
        var result = await SendAsync(MessageType.CachePut, new CachePut(Utf8(key), new ReadOnlySequence<byte>(value), ttlMs), node, cancellationToken);
        return new CacheWriteResult(result.State, result.Version);
    }

    /// <summary>Writes a UTF-8 text value.</summary>
    /// <exception cref="SinkronException">As <see cref="PutAsync(string, ReadOnlyMemory{byte}, int, TimeSpan?, CancellationToken)"/>.</exception>
    public Task<CacheWriteResult> PutAsync(string key, string value, int node = 0, TimeSpan? ttl = null, CancellationToken cancellationToken = default)
        => PutAsync(key, Encoding.UTF8.GetBytes(value), node, ttl, cancellationToken);

    /// <summary>Deletes a key (a write: every other copy is invalidated).</summary>
    /// <exception cref="SinkronException">INVALID_ARGUMENT for an empty or oversize key; UNAVAILABLE while the key's home node is down.</exception>
    public async Task<CacheWriteResult> DeleteAsync(string key, int node = 0, CancellationToken cancellationToken = default)
    {
        var result = await SendAsync(MessageType.CacheDelete, new CacheKey(Utf8(key)), node, cancellationToken);
        return new CacheWriteResult(result.State, result.Version);
    }

    /// <summary>One cache node's metrics: hits, misses, evictions, write-backs, invalidations, bus messages, lines per state, latency.</summary>
    /// <exception cref="SinkronException">The node is unreachable or did not answer in time.</exception>
    public async Task<CacheStatsResponse> StatsAsync(int node = 0, CancellationToken cancellationToken = default)
        => await Channel(node).SendAsync<CacheStatsRequest, CacheStatsResponse>(default, cancellationToken);

    private async Task<CacheResult> SendAsync<TRequest>(MessageType type, TRequest request, int node, CancellationToken cancellationToken)
        where TRequest : IWireMessage<TRequest>
        => await Channel(node).SendAsync<TRequest, CacheResult>(type, request, cancellationToken);

    private WireChannel Channel(int node)
    {
        var nodes = _client.Options.CacheNodes;
        if ((uint)node >= (uint)nodes.Count)
        {
            throw new SinkronException(ErrorCode.InvalidArgument,
                $"cache node index {node} is out of range: {nodes.Count} cache node(s) configured (SinkronClientOptions.CacheNodes)");
        }

        return _client.Channel(nodes[node]);
    }

    private static ReadOnlySequence<byte> Utf8(string key) => new(Encoding.UTF8.GetBytes(key));
}
