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
/// With crashes on, a node may die (its links drop, the others run PeerDown) and later restart
/// empty (PeerUp). A crash loses data by design — a crashed home's memory, a crashed writer's M
/// lines — so the history restarts from what survived (<see cref="Rebaseline"/>).
/// </summary>
internal sealed class CacheSimulator
{
    private const int NodeCount = 3;
    private static readonly string[] NodeNames = ["cache1", "cache2", "cache3"];

    private readonly Random random;
    private readonly int seed;
    private readonly string[] keys;
    private readonly CacheTestCluster cluster;
    private readonly RingKeyHomes homes;
    private readonly bool crashes;
    private readonly Dictionary<ulong, Operation> operations = [];

    // Per key: the highest version of a completed write, and the value each version holds (null = deleted).
    private readonly Dictionary<string, ulong> completedMax = [];
    private readonly Dictionary<(string Key, ulong Version), string?> written = [];
    private readonly HashSet<string?> abandonedValues = [];
    private readonly List<(string Key, ulong Version)> stale = [];
    private int checkedCompletions;
    private int valueCounter;
    private int step;
    private int down = -1;
    private int tracedDeliveries;

    public CacheSimulator(int seed, bool crashes, bool trace = false)
    {
        Trace = trace ? [] : null;
        this.seed = seed;
        this.crashes = crashes;
        random = new Random(seed);
        keys = new string[1 + random.Next(4)];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = "k" + i;
            completedMax[keys[i]] = 0;
        }

        var ring = new HashRing([new RingNode(NodeNames[0]), new RingNode(NodeNames[1]), new RingNode(NodeNames[2])]);
        homes = new RingKeyHomes(ring, NodeNames);
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

    /// <summary>When tracing (a replayed seed), every event in order, for the failure message.</summary>
    public List<string>? Trace { get; }

    public void Run(int steps)
    {
        for (step = 0; step < steps; step++)
        {
            var inFlight = cluster.AnyQueued();
            var roll = random.Next(1000);
            if (crashes && down < 0 && roll < 8)
            {
                Crash(random.Next(NodeCount));
            }
            else if (crashes && down >= 0 && roll < 40)
            {
                Restart();
            }
            else if (!inFlight || random.Next(100) < 40)
            {
                IssueRandomOperation();
            }
            else
            {
                DeliverRandomFrame();
            }

            TraceDeliveries();
            CheckCompletions();
            CheckSingleWriter();
        }

        // Liveness: once the network drains, everything issued has completed and the directory is exact.
        if (down >= 0)
        {
            Restart();
        }

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
        if (node == down)
        {
            node = (node + 1) % NodeCount;
        }

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
        Trace?.Add($"{step}: #{id} {kind} {key} at {node} '{value}' (min v{completedMax[key]})");
    }

    private void TraceDeliveries()
    {
        for (; Trace is not null && tracedDeliveries < cluster.Delivered.Count; tracedDeliveries++)
        {
            var m = cluster.Delivered[tracedDeliveries];
            Trace.Add($"{step}:   {m.From}->{m.To} {m.Type}({m.Flags}) v{m.Version}");
        }
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
            Trace?.Add($"{step}: done #{op.RequestId} {completion.Status} v{completion.Version} {completion.State} '{Encoding.UTF8.GetString(completion.Value.Span)}'");
            Check(!op.Done, $"request {op.RequestId} completed twice");
            op.Done = true;
            if (completion.Status == CacheStatus.Unavailable)
            {
                Check(crashes, $"request {op.RequestId} failed with no peer down");
                continue;
            }

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
        if (op.SpansCrash)
        {
            return;
        }

        Check(
            completion.Version >= op.MinVersion,
            $"stale read of {op.Key} at node {op.Node}: version {completion.Version}, but version {op.MinVersion} had completed before the read began");
        var value = completion.Status == CacheStatus.NotFound ? null : Encoding.UTF8.GetString(completion.Value.Span);
        if (completion.Version == 0)
        {
            Check(value is null, $"read of {op.Key} at version 0 returned '{value}'");
            return;
        }

        if (!written.ContainsKey((op.Key, completion.Version)) && abandonedValues.Contains(value))
        {
            // A write-through stored at the home whose writer crashed before the acknowledgement.
            // Once observed it is linearized: no later read may return anything older.
            written[(op.Key, completion.Version)] = value;
            completedMax[op.Key] = Math.Max(completedMax[op.Key], completion.Version);
        }

        Check(written.TryGetValue((op.Key, completion.Version), out var expected), $"read of {op.Key} returned version {completion.Version}, which no write produced yet");
        Check(expected == value, $"read of {op.Key} version {completion.Version} returned '{value}', the write stored '{expected}'");
    }

    private void CheckWrite(Operation op, CacheCompletion completion)
    {
        Check(op.SpansCrash || completion.Version > op.MinVersion, $"write to {op.Key} got version {completion.Version}, not after completed version {op.MinVersion}");
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
                if (n == down)
                {
                    continue;
                }

                var state = cluster.State(n, key);
                owners += state is LineState.Modified or LineState.Exclusive ? 1 : 0;
                sharers += state == LineState.Shared ? 1 : 0;
            }

            Check(owners <= 1 && (owners == 0 || sharers == 0), $"{key}: {owners} M/E copies and {sharers} S copies");
        }
    }

    private void Crash(int node)
    {
        Trace?.Add($"{step}: CRASH {node}");
        down = node;
        cluster.CutLinks(node);
        foreach (var op in operations.Values)
        {
            if (op.Done)
            {
                continue;
            }

            if (op.Node == node)
            {
                // The client saw its connection drop: the outcome is unknown and never reported.
                op.Done = true;
                if (op.Kind != OpKind.Get)
                {
                    abandonedValues.Add(op.Value);
                }
            }
            else
            {
                op.SpansCrash = true;
            }
        }

        // What survived is decided at the crash, before the survivors react (their reactions may
        // complete writes that reuse the versions just lost).
        Rebaseline();
        for (var n = 0; n < NodeCount; n++)
        {
            if (n != node)
            {
                cluster.PeerDown(n, node);
            }
        }
    }

    private void Restart()
    {
        Trace?.Add($"{step}: RESTART {down}");
        cluster.Restart(down);
        for (var n = 0; n < NodeCount; n++)
        {
            if (n != down)
            {
                cluster.Nodes[n].PeerUp(down);
            }
        }

        down = -1;
    }

    /// <summary>
    /// After a crash the newest surviving version of a key is the highest of its home's memory
    /// (if the home survived), the surviving lines, and data in flight between survivors; versions
    /// above it were lost and may be reused.
    /// </summary>
    private void Rebaseline()
    {
        var inFlight = cluster.DataInFlight();
        foreach (var key in keys)
        {
            var bytes = Encoding.UTF8.GetBytes(key);
            var home = homes.HomeOf(bytes);
            // A crashed home takes the key with it: the survivors drop their lines on PeerDown.
            var survived = home == down ? 0 : cluster.Nodes[home].InspectHome(bytes)?.Version ?? 0;
            for (var n = 0; n < NodeCount; n++)
            {
                var line = cluster.Line(n, key);
                if (n != down && home != down && line.State != LineState.Invalid)
                {
                    survived = Math.Max(survived, line.Version);
                }
            }

            foreach (var (flightKey, version) in inFlight)
            {
                if (flightKey == key && home != down)
                {
                    survived = Math.Max(survived, version);
                }
            }

            completedMax[key] = survived;
            Trace?.Add($"{step}: {key} survives at v{survived}");
            stale.Clear();
            foreach (var entry in written.Keys)
            {
                if (entry.Key == key && entry.Version > survived)
                {
                    stale.Add(entry);
                }
            }

            foreach (var entry in stale)
            {
                written.Remove(entry);
            }
        }
    }

    private void CheckQuiescentDirectory()
    {
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
            TraceDeliveries();
            var trace = Trace is null ? "" : "\nTrace:\n" + string.Join("\n", Trace);
            throw new SimulationFailure($"seed {seed}, step {step}: {message}{trace}");
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

        /// <summary>In flight when a node crashed: what it must observe is no longer defined by the history.</summary>
        public bool SpansCrash { get; set; }
    }
}

internal sealed class SimulationFailure(string message) : Exception(message);
