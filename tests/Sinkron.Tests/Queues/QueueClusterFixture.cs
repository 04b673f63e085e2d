using Sinkron.Client;
using Sinkron.Tests.Infrastructure;
using Sinkron.Wire.Transport;

namespace Sinkron.Tests.Queues;

/// <summary>Three real redis-server processes and a real router process over mTLS, shared by a test class.</summary>
public sealed class QueueClusterFixture : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetDirectoryName(TestCertificates.Directory)!, "queues-" + Guid.NewGuid().ToString("N")[..6]);

    internal List<RedisProcess> Redis { get; } = [];

    internal NodeProcess Router { get; private set; } = null!;

    internal SinkronClient Client { get; private set; } = null!;

    internal SinkronClient Admin { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        for (var i = 1; i <= 3; i++)
        {
            var redis = new RedisProcess($"redis{i}", FreePort.Next(), Path.Combine(_root, $"redis{i}"));
            await redis.StartAsync();
            Redis.Add(redis);
        }

        Router = new NodeProcess("queue", "queue1", FreePort.Next(), Path.Combine(_root, "queue1"),
            "--redis", string.Join(',', Redis.Select(r => $"{r.Id}={r.Address}")),
            "--visibility-timeout-ms", "800", "--max-deliveries", "3", "--max-message-bytes", "4096");
        Router.Start();
        await Router.WaitListeningAsync();
        Client = NewClient("client");
        Admin = NewClient("admin");
        await Poll.UntilAsync(async () => (await Client.Queues.StatsAsync()).Nodes.All(n => n.Healthy), TimeSpan.FromSeconds(30), "the router to reach all Redis nodes");
    }

    internal SinkronClient NewClient(string identity) => SinkronClient.Create(new SinkronClientOptions
    {
        CertificateDirectory = TestCertificates.Directory,
        Identity = identity,
        QueueNodes = [new WireEndpoint("127.0.0.1", Router.Port)],
        Connection = new WireClientOptions { ReconnectDelay = TimeSpan.FromMilliseconds(20), MaxReconnectDelay = TimeSpan.FromMilliseconds(200) },
    });

    internal async Task RestartRouterAsync()
    {
        Router.Kill();
        Router = new NodeProcess("queue", "queue1", Router.Port, Router.DataDirectory, Router.ExtraArgs);
        Router.Start();
        await Router.WaitListeningAsync();
    }

    public async Task DisposeAsync()
    {
        await Client.DisposeAsync();
        await Admin.DisposeAsync();
        await Router.DisposeAsync();
        foreach (var redis in Redis)
        {
            await redis.DisposeAsync();
        }
    }
}
