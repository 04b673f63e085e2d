using System.Buffers;
using System.Text;
using Sinkron.Nodes.Cache;
using Sinkron.Tests.Infrastructure;

namespace Sinkron.Tests.Cache;

/// <summary>All keys homed at one node: lets a test pick who is home.</summary>
internal sealed class FixedHomes(int home) : IKeyHomes
{
    public int HomeOf(ReadOnlySpan<byte> key) => home;
}

/// <summary>A delivered bus message, as tests assert on it.</summary>
internal readonly record struct TracedMessage(int From, int To, BusMessageType Type, BusFlags Flags, ulong Version);

/// <summary>
/// Cores wired by in-memory links, one FIFO queue per ordered pair of nodes (a TCP connection each).
/// Frames go through the real codec: encoded when sent, decoded from a split buffer when delivered.
/// </summary>
internal sealed class CacheTestCluster
{
    private readonly Queue<byte[]>[] links;
    private readonly IKeyHomes homes;
    private readonly Func<int, CacheOptions>? options;
    private ulong nextRequest = 1;

    public CacheTestCluster(int count, IKeyHomes homes, Func<int, CacheOptions>? options = null)
    {
        this.homes = homes;
        this.options = options;
        Nodes = new CacheNodeCore[count];
        links = new Queue<byte[]>[count * count];
        for (var i = 0; i < count; i++)
        {
            Nodes[i] = new CacheNodeCore(i, count, homes, options?.Invoke(i) ?? new CacheOptions());
        }

        for (var i = 0; i < links.Length; i++)
        {
            links[i] = new Queue<byte[]>();
        }
    }

    public CacheNodeCore[] Nodes { get; }

    public List<TracedMessage> Sent { get; } = [];

    public List<TracedMessage> Delivered { get; } = [];

    public Dictionary<ulong, CacheCompletion> Completions { get; } = [];

    /// <summary>Completions in the order they happened.</summary>
    public List<CacheCompletion> CompletionLog { get; } = [];

    public int Count => Nodes.Length;

    public ulong Get(int node, string key) => Issue(node, id => Nodes[node].Get(key, id));

    public ulong Put(int node, string key, string value) => Issue(node, id => Nodes[node].Put(key, Encoding.UTF8.GetBytes(value), id));

    public ulong Delete(int node, string key) => Issue(node, id => Nodes[node].Delete(key, id));

    public bool Evict(int node, string key)
    {
        var evicted = Nodes[node].Evict(Encoding.UTF8.GetBytes(key));
        Collect(node);
        return evicted;
    }

    public void PeerDown(int node, int peer)
    {
        Nodes[node].PeerDown(peer);
        Collect(node);
    }

    public LineState State(int node, string key) => Nodes[node].Inspect(Encoding.UTF8.GetBytes(key)).State;

    public LineInfo Line(int node, string key) => Nodes[node].Inspect(Encoding.UTF8.GetBytes(key));

    public int Queued(int from, int to) => links[(from * Count) + to].Count;

    public bool AnyQueued()
    {
        foreach (var link in links)
        {
            if (link.Count > 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Key and version of every frame in flight that carries data.</summary>
    public List<(string Key, ulong Version)> DataInFlight()
    {
        var found = new List<(string, ulong)>();
        foreach (var link in links)
        {
            foreach (var frame in link)
            {
                var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(frame));
                if (BusFrameCodec.TryRead(ref reader, out var message) && message.HasData && message.Type != BusMessageType.WriteThrough)
                {
                    found.Add((Encoding.UTF8.GetString(message.Key.ToArray()), message.Version));
                }
            }
        }

        return found;
    }

    /// <summary>Drops every frame on the links into and out of a node (it crashed, or its links broke).</summary>
    public void CutLinks(int node)
    {
        for (var other = 0; other < Count; other++)
        {
            links[(node * Count) + other].Clear();
            links[(other * Count) + node].Clear();
        }
    }

    /// <summary>A crashed node comes back as a fresh process: empty lines, empty home memory.</summary>
    public void Restart(int node)
    {
        CutLinks(node);
        Nodes[node] = new CacheNodeCore(node, Count, homes, options?.Invoke(node) ?? new CacheOptions());
    }

    public bool DeliverOne(int from, int to)
    {
        if (!links[(from * Count) + to].TryDequeue(out var frame))
        {
            return false;
        }

        // Split the frame in three segments so every delivery exercises multi-segment decoding.
        var sequence = Sequences.SplitAt(frame, frame.Length / 3, 2 * frame.Length / 3);
        var reader = new SequenceReader<byte>(sequence);
        if (!BusFrameCodec.TryRead(ref reader, out var message) || reader.Remaining != 0)
        {
            throw new InvalidOperationException("A frame the codec wrote did not read back.");
        }

        Delivered.Add(new TracedMessage(from, to, message.Type, message.Flags, message.Version));
        Nodes[to].Receive(in message);
        Collect(to);
        return true;
    }

    /// <summary>Delivers until no frame is in flight, round-robin over the links.</summary>
    public void DeliverAll()
    {
        var progress = true;
        while (progress)
        {
            progress = false;
            for (var from = 0; from < Count; from++)
            {
                for (var to = 0; to < Count; to++)
                {
                    progress |= DeliverOne(from, to);
                }
            }
        }
    }

    public CacheCompletion Completion(ulong requestId) => Completions[requestId];

    public void Collect(int node)
    {
        var output = Nodes[node].Output;
        foreach (var message in output.Messages)
        {
            var writer = new ArrayBufferWriter<byte>();
            BusFrameCodec.Write(writer, in message);
            links[(message.From * Count) + message.To].Enqueue(writer.WrittenSpan.ToArray());
            Sent.Add(new TracedMessage(message.From, message.To, message.Type, message.Flags, message.Version));
        }

        foreach (var completion in output.Completions)
        {
            Completions.Add(completion.RequestId, completion);
            CompletionLog.Add(completion);
        }

        output.Clear();
    }

    private ulong Issue(int node, Action<ulong> op)
    {
        var id = nextRequest++;
        op(id);
        Collect(node);
        return id;
    }
}
