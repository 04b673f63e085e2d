using System.Text;
using Sinkron.Nodes.Cache;
using Sinkron.Nodes.Ring;

namespace Sinkron.Tests.Cache.Simulation;

/// <summary>
/// One seeded run: three nodes, a few hot keys, tiny capacities (so replacement races the
/// protocol), random client operations and a scheduler that delivers one frame at a time from a
/// random link. Each link is FIFO (our transport is TCP); links are not ordered with each other,
/// and a frame may wait for any number of steps. After every step the safety invariants are
/// checked; at the end the network drains and every operation must have completed.
/// </summary>
internal sealed class CacheSimulator
{
    private const int NodeCount = 3;
    private static readonly string[] NodeNames = ["cache1", "cache2", "cache3"];

    private readonly Random random;
    private readonly int seed;
    private readonly string[] keys;
    private readonly CacheTestCluster cluster;
    private readonly Dictionary<ulong, Operation> operations = [];

    // Per key: the highest version of a completed write, and the value each version holds (null = deleted).
    private readonly Dictionary<string, ulong> completedMax = [];
    private readonly Dictionary<(string Key, ulong Version), string?> written = [];
    private int checkedCompletions;
    private int valueCounter;
    private int step;

    public CacheSimulator(int seed)
    {
        this.seed = seed;
        random = new Random(seed);
        keys = new string[1 + random.Next(4)];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = "k" + i;
            completedMax[keys[i]] = 0;
        }

        var ring = new HashRing([new RingNode(NodeNames[0]), new RingNode(NodeNames[1]), new RingNode(NodeNames[2])]);
        var homes = new RingKeyHomes(ring, NodeNames);
        var writeThrough = new bool[NodeCount];
        var maxEntries = new int[NodeCount];
        var maxBytes = new long[NodeCount];
        for (var n = 0; n < NodeCount; n++)
        {
            writeThrough[n] = random.Next(4) == 0;
            maxEntries[n] = 1 + random.Next(3);

            // Sometimes the byte limit binds before the entry limit (keys are 2 bytes, values ~6–10).
            maxBytes[n] = random.Next(3) == 0 ? 12 + random.Next(20) : 1 << 20;
        }

        cluster = new CacheTestCluster(
            NodeCount,
            homes,
            n => new CacheOptions { WriteThrough = writeThrough[n], MaxEntries = maxEntries[n], MaxBytes = maxBytes[n] });
    }

    public int Steps => step;

    public void Run(int steps)
    {
        for (step = 0; step < steps; step++)
        {
            var inFlight = cluster.AnyQueued();
            if (!inFlight || random.Next(100) < 40)
            {
                IssueRandomOperation();
            }
            else
            {
                DeliverRandomFrame();
            }

            CheckCompletions();
            CheckSingleWriter();
        }

        // Liveness: once the network drains, everything issued has completed and the directory is exact.
        cluster.DeliverAll();
        CheckCompletions();
        foreach (var op in operations.Values)
        {
            Check(op.Done, $"operation {op.Kind} {op.Key} at node {op.Node} (request {op.RequestId}) never completed");
        }

        CheckQuiescentDirectory();
        ReadEverythingEverywhere();
        foreach (var node in cluster.Nodes)
        {
            Check(node.Metrics.ProtocolErrors == 0, $"node {node.NodeId} counted {node.Metrics.ProtocolErrors} protocol errors");
        }
    }

    private void IssueRandomOperation()
    {
        var node = random.Next(NodeCount);
        var key = keys[random.Next(keys.Length)];
        var roll = random.Next(100);
        if (roll < 10)
        {
            cluster.Evict(node, key);
            return;
        }

        OpKind kind;
        ulong id;
        string? value = null;
        if (roll < 55)
        {
            kind = OpKind.Get;
            id = cluster.Get(node, key);
        }
        else if (roll < 88)
        {
            kind = OpKind.Put;
            value = $"v{valueCounter++}";
            id = cluster.Put(node, key, value);
        }
        else
        {
            kind = OpKind.Delete;
            id = cluster.Delete(node, key);
        }

        operations.Add(id, new Operation(id, kind, node, key, value, completedMax[key]));
    }

    private void DeliverRandomFrame()
    {
        // Pick uniformly among links with frames waiting: reorders freely across links.
        var start = random.Next(NodeCount * NodeCount);
        for (var i = 0; i < NodeCount * NodeCount; i++)
        {
            var link = (start + i) % (NodeCount * NodeCount);
            if (cluster.Queued(link / NodeCount, link % NodeCount) > 0)
            {
                cluster.DeliverOne(link / NodeCount, link % NodeCount);
                return;
            }
        }
    }

    private void CheckCompletions()
    {
        var log = cluster.CompletionLog;
        for (; checkedCompletions < log.Count; checkedCompletions++)
        {
            var completion = log[checkedCompletions];
            var op = operations[completion.RequestId];
            Check(!op.Done, $"request {op.RequestId} completed twice");
            op.Done = true;
            Check(completion.Status != CacheStatus.Unavailable, $"request {op.RequestId} failed with no peer down");
            if (op.Kind == OpKind.Get)
            {
                CheckRead(op, completion);
            }
            else
            {
                CheckWrite(op, completion);
            }
        }
    }

    private void CheckRead(Operation op, CacheCompletion completion)
    {
        Check(
            completion.Version >= op.MinVersion,
            $"stale read of {op.Key} at node {op.Node}: version {completion.Version}, but version {op.MinVersion} had completed before the read began");
        var value = completion.Status == CacheStatus.NotFound ? null : Encoding.UTF8.GetString(completion.Value.Span);
        if (completion.Version == 0)
        {
            Check(value is null, $"read of {op.Key} at version 0 returned '{value}'");
            return;
        }

        Check(written.TryGetValue((op.Key, completion.Version), out var expected), $"read of {op.Key} returned version {completion.Version}, which no write produced yet");
        Check(expected == value, $"read of {op.Key} version {completion.Version} returned '{value}', the write stored '{expected}'");
    }

    private void CheckWrite(Operation op, CacheCompletion completion)
    {
        Check(completion.Version > op.MinVersion, $"write to {op.Key} got version {completion.Version}, not after completed version {op.MinVersion}");
        Check(written.TryAdd((op.Key, completion.Version), op.Value), $"two writes to {op.Key} got version {completion.Version}");
        if (completion.Version > completedMax[op.Key])
        {
            completedMax[op.Key] = completion.Version;
        }
    }

    /// <summary>
    /// Counts every line a node holds, including lines with a request in flight (a line in S
    /// waiting for an upgrade still serves reads); a grant on the wire is not a line until delivered.
    /// </summary>
    private void CheckSingleWriter()
    {
        foreach (var key in keys)
        {
            int owners = 0, sharers = 0;
            for (var n = 0; n < NodeCount; n++)
            {
                var state = cluster.State(n, key);
                owners += state is LineState.Modified or LineState.Exclusive ? 1 : 0;
                sharers += state == LineState.Shared ? 1 : 0;
            }

            Check(owners <= 1 && (owners == 0 || sharers == 0), $"{key}: {owners} M/E copies and {sharers} S copies");
        }
    }

    private void CheckQuiescentDirectory()
    {
        var homes = new RingKeyHomes(new HashRing([new RingNode(NodeNames[0]), new RingNode(NodeNames[1]), new RingNode(NodeNames[2])]), NodeNames);
        foreach (var key in keys)
        {
            var bytes = Encoding.UTF8.GetBytes(key);
            var info = cluster.Nodes[homes.HomeOf(bytes)].InspectHome(bytes);
            if (info is not { } home)
            {
                continue;
            }

            Check(!home.Busy && home.Waiting == 0, $"{key}: home still busy after the network drained");
            var owner = -1;
            var sharers = 0UL;
            for (var n = 0; n < NodeCount; n++)
            {
                var state = cluster.State(n, key);
                owner = state is LineState.Modified or LineState.Exclusive ? n : owner;
                sharers |= state == LineState.Shared ? 1UL << n : 0;
            }

            Check(home.Owner == owner && home.Sharers == sharers, $"{key}: directory says owner {home.Owner} sharers {home.Sharers}, lines say {owner} and {sharers}");
        }
    }

    private void ReadEverythingEverywhere()
    {
        foreach (var key in keys)
        {
            for (var n = 0; n < NodeCount; n++)
            {
                var id = cluster.Get(n, key);
                operations.Add(id, new Operation(id, OpKind.Get, n, key, null, completedMax[key]));
                cluster.DeliverAll();
                CheckCompletions();
                Check(cluster.Completion(id).Version == completedMax[key], $"{key}: final read at node {n} saw version {cluster.Completion(id).Version}, latest is {completedMax[key]}");
            }
        }
    }

    private void Check(bool condition, string message)
    {
        if (!condition)
        {
            throw new SimulationFailure($"seed {seed}, step {step}: {message}");
        }
    }

    private enum OpKind
    {
        Get,
        Put,
        Delete,
    }

    private sealed class Operation(ulong requestId, OpKind kind, int node, string key, string? value, ulong minVersion)
    {
        public ulong RequestId { get; } = requestId;

        public OpKind Kind { get; } = kind;

        public int Node { get; } = node;

        public string Key { get; } = key;

        public string? Value { get; } = value;

        /// <summary>Highest write version completed when the operation began.</summary>
        public ulong MinVersion { get; } = minVersion;

        public bool Done { get; set; }
    }
}

internal sealed class SimulationFailure(string message) : Exception(message);
