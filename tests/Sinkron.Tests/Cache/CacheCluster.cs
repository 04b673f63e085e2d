using System.Text;
using Sinkron.Client;
using Sinkron.Nodes.Cache;
using Sinkron.Nodes.Hosting;
using Sinkron.Tests.Infrastructure;
using Sinkron.Wire.Transport;

namespace Sinkron.Tests.Cache;

/// <summary>
/// Three real cache node processes (cache1..cache3) linked over mTLS, and a client for them.
/// Node index i (0-based) is cache{i+1} both in the client's CacheNodes and in the nodes' numbering.
/// </summary>
internal sealed class CacheCluster : IAsyncDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly string _root = Path.Combine(Path.GetDirectoryName(TestCertificates.Directory)!, "cache-" + Guid.NewGuid().ToString("N")[..6]);
    private readonly int[] _ports = [FreePort.Next(), FreePort.Next(), FreePort.Next()];
    private readonly List<SinkronClient> _clients = [];

    private CacheCluster()
    {
        var peers = new List<NamedEndpoint>();
        for (var i = 0; i < _ports.Length; i++)
        {
            peers.Add(new NamedEndpoint(Name(i), new WireEndpoint("127.0.0.1", _ports[i])));
        }

        Topology = new CacheTopology(peers, Name(0), peers[0].Endpoint);
        PeersArgument = string.Join(',', peers.Select(p => $"{p.Id}={p.Endpoint}"));
    }

    public NodeProcess[] Nodes { get; } = new NodeProcess[3];

    public SinkronClient Client { get; private set; } = null!;

    /// <summary>The numbering and key homes every node derives from the same peer list.</summary>
    public CacheTopology Topology { get; }

    private string PeersArgument { get; }

    /// <summary>Starts the nodes, each with the common arguments plus its own, and waits until every bus link is up.</summary>
    public static async Task<CacheCluster> StartAsync(string[]? common = null, Dictionary<int, string[]>? perNode = null)
    {
        var cluster = new CacheCluster();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                string[] args = ["--peers", cluster.PeersArgument, .. common ?? [], .. perNode?.GetValueOrDefault(i) ?? []];
                cluster.Nodes[i] = new NodeProcess("cache", Name(i), cluster._ports[i], Path.Combine(cluster._root, Name(i)), args);
                cluster.Nodes[i].Start();
            }

            foreach (var node in cluster.Nodes)
            {
                await node.WaitListeningAsync();
            }

            cluster.Client = cluster.NewClient();
            await cluster.WaitAllLinkedAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public static string Name(int index) => $"cache{index + 1}";

    public SinkronClient NewClient()
    {
        var client = SinkronClient.Create(new SinkronClientOptions
        {
            CertificateDirectory = TestCertificates.Directory,
            CacheNodes = [.. _ports.Select(p => new WireEndpoint("127.0.0.1", p))],
            Connection = new WireClientOptions { ReconnectDelay = TimeSpan.FromMilliseconds(20), MaxReconnectDelay = TimeSpan.FromMilliseconds(200) },
        });
        _clients.Add(client);
        return client;
    }

    /// <summary>Waits until every running node reports all of its bus links up.</summary>
    public Task WaitAllLinkedAsync() => Poll.UntilAsync(async () =>
    {
        foreach (var node in Nodes)
        {
            if ((await Client.StatusAsync(new WireEndpoint("127.0.0.1", node.Port))).Field("state") != "up")
            {
                return false;
            }
        }

        return true;
    }, Wait, "every cache node to link with its peers");

    /// <summary>A fresh key (prefix + counter) whose home is <paramref name="home"/>.</summary>
    public string KeyHomedAt(int home, string prefix)
    {
        for (var i = 0; ; i++)
        {
            var key = $"{prefix}-{i}";
            if (Topology.Homes.HomeOf(Encoding.UTF8.GetBytes(key)) == home)
            {
                return key;
            }
        }
    }

    public async Task RestartAsync(int index)
    {
        var old = Nodes[index];
        old.Kill();
        Nodes[index] = new NodeProcess("cache", old.Id, old.Port, old.DataDirectory, old.ExtraArgs);
        Nodes[index].Start();
        await Nodes[index].WaitListeningAsync();
        await old.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }

        foreach (var node in Nodes)
        {
            if (node is not null)
            {
                await node.DisposeAsync();
            }
        }
    }
}

/// <summary>One shared three-node cluster; cache3 keeps at most 8 lines so evictions are easy to cause.</summary>
public sealed class CacheClusterFixture : IAsyncLifetime
{
    public const int SmallNode = 2;

    internal CacheCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Cluster = await CacheCluster.StartAsync(perNode: new() { [SmallNode] = ["--cache-entries", "8"] });

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}
