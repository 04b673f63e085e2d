using Sinkron.Wire.Transport;

namespace Sinkron.Client;

/// <summary>Where the cluster is and who the client is.</summary>
public sealed class SinkronClientOptions
{
    /// <summary>Folder made by certgen holding <c>ca.crt</c> and the identity's certificate and key.</summary>
    public required string CertificateDirectory { get; init; }

    /// <summary>Certificate name to present (<c>NAME.crt</c>/<c>NAME.key</c>); default <c>client</c>.</summary>
    public string Identity { get; init; } = "client";

    /// <summary>The lock nodes; any one will do, the client finds the leader.</summary>
    public IReadOnlyList<WireEndpoint> LockNodes { get; init; } = [];

    /// <summary>The queue routers.</summary>
    public IReadOnlyList<WireEndpoint> QueueNodes { get; init; } = [];

    /// <summary>The cache nodes, in node order (node 1 first).</summary>
    public IReadOnlyList<WireEndpoint> CacheNodes { get; init; } = [];

    /// <summary>Lease of the lock session: locks of a client that stops renewing are released this long after its last renewal.</summary>
    public TimeSpan LockSessionTtl { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a lock request keeps looking for a leader (following redirects, trying other nodes) before it
    /// fails with UNAVAILABLE. Long enough to ride out an election; shorten it to fail fast when no leader exists.
    /// </summary>
    public TimeSpan LockRetryBudget { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Transport behaviour: timeouts, heartbeats, reconnect backoff.</summary>
    public WireClientOptions Connection { get; init; } = new();
}
