using System.Globalization;
using Sinkron.Client;
using Sinkron.Wire.Transport;

namespace Sinkron.Tests.Infrastructure;

/// <summary>
/// Three real lock nodes (lock1..lock3) over mTLS on loopback. With <c>proxied</c>, every node
/// reaches every other through its own <see cref="TcpProxy"/> (one per direction), so a test can
/// cut any node off from the rest; clients always talk to the nodes directly.
/// </summary>
internal sealed class LockCluster : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly Dictionary<(string From, string To), TcpProxy> _proxies = [];
    private readonly List<SinkronClient> _clients = [];
    private readonly SinkronClient _status;

    private LockCluster(List<NodeProcess> nodes)
    {
        Nodes = nodes;
        _status = SinkronClient.Create(new SinkronClientOptions
        {
            CertificateDirectory = TestCertificates.Directory,
            Connection = new WireClientOptions { RequestTimeout = TimeSpan.FromSeconds(5), ConnectTimeout = TimeSpan.FromSeconds(2), ReconnectDelay = TimeSpan.FromMilliseconds(20), MaxReconnectDelay = TimeSpan.FromMilliseconds(100) },
        });
    }

    public List<NodeProcess> Nodes { get; }

    public static async Task<LockCluster> StartAsync(string name, bool proxied = false, int snapshotEvery = 10_000)
    {
        var root = Path.Combine(Path.GetDirectoryName(TestCertificates.Directory)!, name + "-" + Guid.NewGuid().ToString("N")[..6]);
        string[] ids = ["lock1", "lock2", "lock3"];
        var ports = ids.ToDictionary(id => id, _ => FreePort.Next());
        var proxies = new Dictionary<(string, string), TcpProxy>();
        if (proxied)
        {
            foreach (var from in ids)
            {
                foreach (var to in ids.Where(to => to != from))
                {
                    proxies[(from, to)] = new TcpProxy(ports[to], FreePort.Next());
                }
            }
        }

        var nodes = new List<NodeProcess>();
        foreach (var id in ids)
        {
            var peers = string.Join(',', ids.Select(other => other == id || !proxied
                ? $"{other}=127.0.0.1:{ports[other]}"
                : $"{other}={proxies[(id, other)].Address}"));
            nodes.Add(new NodeProcess("lock", id, ports[id], Path.Combine(root, id),
                "--peers", peers, "--election-timeout-ms", "150", "--heartbeat-ms", "50",
                "--snapshot-every", snapshotEvery.ToString(CultureInfo.InvariantCulture)));
        }

        var cluster = new LockCluster(nodes);
        foreach (var pair in proxies)
        {
            cluster._proxies[pair.Key] = pair.Value;
        }

        try
        {
            foreach (var node in nodes)
            {
                node.Start();
            }

            foreach (var node in nodes)
            {
                await node.WaitListeningAsync();
            }
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    public NodeProcess this[string id] => Nodes.Single(n => n.Id == id);

    public static WireEndpoint EndpointOf(NodeProcess node) => new("127.0.0.1", node.Port);

    /// <summary>A client of the given nodes (all by default), disposed with the cluster unless the test disposes it first.</summary>
    public SinkronClient NewClient(TimeSpan? sessionTtl = null, params NodeProcess[] only)
    {
        var client = SinkronClient.Create(new SinkronClientOptions
        {
            CertificateDirectory = TestCertificates.Directory,
            LockNodes = [.. (only.Length > 0 ? only : [.. Nodes]).Select(EndpointOf)],
            LockSessionTtl = sessionTtl ?? TimeSpan.FromSeconds(10),
            Connection = new WireClientOptions
            {
                RequestTimeout = TimeSpan.FromSeconds(5),
                ConnectTimeout = TimeSpan.FromSeconds(2),
                ReconnectDelay = TimeSpan.FromMilliseconds(20),
                MaxReconnectDelay = TimeSpan.FromMilliseconds(200),
            },
        });
        lock (_clients)
        {
            _clients.Add(client);
        }

        return client;
    }

    public async Task<Dictionary<string, string>> StatusAsync(NodeProcess node)
    {
        var status = await _status.StatusAsync(EndpointOf(node));
        return status.Fields.ToDictionary(f => f.Key, f => f.Value);
    }

    public async Task<ulong> AppliedAsync(NodeProcess node) => ulong.Parse((await StatusAsync(node))["applied"], CultureInfo.InvariantCulture);

    /// <summary>
    /// Polls until exactly one of the <paramref name="among"/> nodes (running ones by default) says
    /// it leads and every other one names it as leader; returns it.
    /// </summary>
    public async Task<NodeProcess> WaitForLeaderAsync(params NodeProcess[] among)
    {
        var candidates = among.Length > 0 ? among : [.. Nodes.Where(n => n.IsRunning)];
        NodeProcess? leader = null;
        await Poll.UntilAsync(async () =>
        {
            var states = new List<(NodeProcess Node, Dictionary<string, string> Status)>();
            foreach (var node in candidates)
            {
                states.Add((node, await StatusAsync(node)));
            }

            var leaders = states.Where(s => s.Status["state"] == "leader").ToList();
            if (leaders.Count != 1 || states.Any(s => s.Status["leader"] != leaders[0].Node.Id))
            {
                return false;
            }

            leader = leaders[0].Node;
            return true;
        }, Deadline, $"one leader among {string.Join(", ", candidates.Select(n => n.Id))}");
        return leader!;
    }

    /// <summary>SIGKILLs the node; <see cref="RestartAsync"/> brings it back on the same port and data.</summary>
    public void Kill(NodeProcess node) => node.Kill();

    public async Task<NodeProcess> RestartAsync(NodeProcess node)
    {
        node.Kill();
        var fresh = new NodeProcess(node.Role, node.Id, node.Port, node.DataDirectory, node.ExtraArgs);
        Nodes[Nodes.IndexOf(node)] = fresh;
        await node.DisposeAsync();
        fresh.Start();
        await fresh.WaitListeningAsync();
        return fresh;
    }

    /// <summary>Heals every link, restarts whatever a previous test killed, and waits for a leader.</summary>
    public async Task<NodeProcess> ReviveAsync()
    {
        Heal();
        foreach (var node in Nodes.ToArray())
        {
            if (!node.IsRunning)
            {
                await RestartAsync(node);
            }
        }

        return await WaitForLeaderAsync();
    }

    /// <summary>Cuts every Raft link to and from the node (clients can still reach it).</summary>
    public void Isolate(NodeProcess node)
    {
        foreach (var ((from, to), proxy) in _proxies)
        {
            if (from == node.Id || to == node.Id)
            {
                proxy.Drop();
            }
        }
    }

    public void Heal()
    {
        foreach (var proxy in _proxies.Values)
        {
            proxy.Resume();
        }
    }

    public string Logs() => string.Join("\n", Nodes.Select(n => $"----- {n.Id} -----\n{n.Log}"));

    public async ValueTask DisposeAsync()
    {
        List<SinkronClient> clients;
        lock (_clients)
        {
            clients = [.. _clients];
        }

        // In parallel: closing a session waits up to a few seconds when no leader can answer.
        await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        await _status.DisposeAsync();
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }

        foreach (var proxy in _proxies.Values)
        {
            await proxy.DisposeAsync();
        }
    }
}
