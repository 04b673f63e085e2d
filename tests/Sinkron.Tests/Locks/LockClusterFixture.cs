using Sinkron.Tests.Infrastructure;

namespace Sinkron.Tests.Locks;

/// <summary>Three real lock nodes over mTLS, shared by the tests of a class; each test revives what the last one broke.</summary>
public sealed class LockClusterFixture : IAsyncLifetime
{
    internal LockCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await LockCluster.StartAsync("locks");

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>The same, with every Raft link behind a <see cref="TcpProxy"/> so tests can partition it.</summary>
public sealed class ProxiedLockClusterFixture : IAsyncLifetime
{
    internal LockCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await LockCluster.StartAsync("locks-failover", proxied: true);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
