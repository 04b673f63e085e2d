using Microsoft.Extensions.Logging;
using Sinkron.Nodes.Hosting;
using Sinkron.Wire.Messages;
using StackExchange.Redis;

namespace Sinkron.Nodes.Queues;

/// <summary>
/// One Redis node behind the router, with its own multiplexer: a dead node fails its own queues
/// fast (fail-fast backlog) and never slows the others; the multiplexer reconnects by itself.
/// Produces take their own connection, <see cref="Appends"/>, which reconnects the same way.
/// </summary>
internal sealed class RedisNode : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _multiplexer;

    private RedisNode(NamedEndpoint endpoint, ConnectionMultiplexer multiplexer, ILogger logger)
    {
        Id = endpoint.Id;
        Address = endpoint.Endpoint.ToString();
        _multiplexer = multiplexer;
        Database = multiplexer.GetDatabase();
        Appends = new StreamAppendPipe(endpoint.Id, endpoint.Endpoint, logger);
    }

    public string Id { get; }

    public string Address { get; }

    public IDatabase Database { get; }

    /// <summary>The produce path's pipelined XADD connection.</summary>
    public StreamAppendPipe Appends { get; }

    /// <summary>Both of the router's connections to the node are up: the multiplexer and the produce pipe.</summary>
    public bool IsConnected => _multiplexer.IsConnected && Appends.IsConnected;

    public static async Task<RedisNode> ConnectAsync(NamedEndpoint endpoint, ILogger logger)
    {
        var options = new ConfigurationOptions
        {
            EndPoints = { { endpoint.Endpoint.Host, endpoint.Endpoint.Port } },
            AbortOnConnectFail = false,
            BacklogPolicy = BacklogPolicy.FailFast,
            ConnectTimeout = 2000,
            AsyncTimeout = 5000,
            SyncTimeout = 5000,
            ReconnectRetryPolicy = new ExponentialRetry(100, 2000),
            ClientName = "sinkron-router",

            // The default dedicated scheduler's threads spin in sched_yield while idle: on a small
            // machine that was ~40 % of the router's CPU. The shared thread pool has work anyway.
            SocketManager = SocketManager.ThreadPool,
        };
        return new RedisNode(endpoint, await ConnectionMultiplexer.ConnectAsync(options, TextWriter.Null), logger);
    }

    /// <summary>The error a request on this node's queues gets while it is unreachable.</summary>
    public QueueException Unavailable(Exception? cause = null) => new(ErrorCode.Unavailable,
        $"Redis node {Id} ({Address}) is unreachable; its queues are unavailable until it returns. Retry later." +
        (cause is null ? "" : $" ({cause.Message})"));

    public async ValueTask DisposeAsync()
    {
        await Appends.DisposeAsync();
        await _multiplexer.DisposeAsync();
    }
}
