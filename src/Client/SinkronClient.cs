using System.Collections.Concurrent;
using System.Diagnostics;
using Sinkron.Wire.Messages;
using Sinkron.Wire.Tls;
using Sinkron.Wire.Transport;

namespace Sinkron.Client;

/// <summary>
/// Entry point to a Sinkron cluster over mutual TLS. Thread-safe; create one per application
/// and share it. Connections are opened on first use, kept open, and reopened after failures.
/// </summary>
/// <example>
/// <code>
/// await using var client = SinkronClient.Create(new SinkronClientOptions
/// {
///     CertificateDirectory = ".cluster/certs",
///     LockNodes = [WireEndpoint.Parse("127.0.0.1:7001")],
/// });
/// var rtt = await client.PingAsync(WireEndpoint.Parse("127.0.0.1:7001"));
/// </code>
/// </example>
public sealed class SinkronClient : IAsyncDisposable
{
    private readonly ConcurrentDictionary<WireEndpoint, WireChannel> _channels = new();
    private readonly TlsMaterial _tls;

    private SinkronClient(SinkronClientOptions options, TlsMaterial tls)
    {
        Options = options;
        _tls = tls;
        Queues = new QueueClient(this);
        Locks = new LockClient(this);
        Cache = new CacheClient(this);
    }

    /// <summary>The lock service.</summary>
    public LockClient Locks { get; }

    /// <summary>The queue service.</summary>
    public QueueClient Queues { get; }

    /// <summary>The coherent cache.</summary>
    public CacheClient Cache { get; }

    /// <summary>The options the client was created with.</summary>
    public SinkronClientOptions Options { get; }

    /// <summary>Creates a client, loading its certificate.</summary>
    /// <exception cref="TlsConfigurationException">The certificate folder lacks the CA or the identity's files.</exception>
    public static SinkronClient Create(SinkronClientOptions options)
        => new(options, TlsMaterial.Load(options.CertificateDirectory, options.Identity));

    /// <summary>Sends PING to one node and returns the round-trip time.</summary>
    /// <exception cref="SinkronException">The node is unreachable, refused the certificate, or did not answer in time.</exception>
    public async Task<TimeSpan> PingAsync(WireEndpoint node, CancellationToken cancellationToken = default)
    {
        var channel = Channel(node);
        var connection = await channel.GetConnectionAsync(cancellationToken);
        var started = Stopwatch.GetTimestamp();
        await connection.SendAsync<Ping, Ping>(new Ping((ulong)started), cancellationToken);
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>Asks one node for its status: role, id, version, uptime, connections and service fields.</summary>
    /// <exception cref="SinkronException">The node is unreachable, refused the certificate, or did not answer in time.</exception>
    public async Task<StatusResponse> StatusAsync(WireEndpoint node, CancellationToken cancellationToken = default)
        => await Channel(node).SendAsync<StatusRequest, StatusResponse>(default, cancellationToken);

    /// <summary>The channel to <paramref name="node"/>, created on first use.</summary>
    internal WireChannel Channel(WireEndpoint node)
        => _channels.GetOrAdd(node, static (endpoint, self) => new WireChannel(endpoint, self._tls, self.Options.Connection), this);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Locks.DisposeAsync();
        foreach (var channel in _channels.Values)
        {
            await channel.DisposeAsync();
        }

        _channels.Clear();
        _tls.Dispose();
    }
}
