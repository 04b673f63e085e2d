using System.Text;
using BenchmarkDotNet.Attributes;
using Sinkron.Nodes.Cache;

namespace Sinkron.Bench.Micro.Cache;

/// <summary>
/// MESI transitions through three <see cref="CacheNodeCore"/>s in one process, bus messages handed
/// from core to core with no codec or network. Every key is homed at node 2, so nodes 0 and 1 are
/// plain requesters and node 2 is home and cache at once. Benchmarks that must leave the line where
/// they found it run a whole cycle (the transition, then what undoes it) and say so in their name.
/// </summary>
[BenchmarkCategory("Cache")]
public class MesiBenchmarks
{
    private const int Home = 2;
    private static readonly byte[] Value = new byte[128];
    private readonly CacheNodeCore[] _nodes = new CacheNodeCore[3];
    private readonly List<BusMessage> _inbox = new(64);
    private readonly byte[] _hit = Encoding.UTF8.GetBytes("hit");
    private readonly byte[] _exclusive = Encoding.UTF8.GetBytes("exclusive");
    private readonly byte[] _shared = Encoding.UTF8.GetBytes("shared");
    private readonly byte[] _invalidate = Encoding.UTF8.GetBytes("invalidate");
    private readonly byte[] _upgrade = Encoding.UTF8.GetBytes("upgrade");
    private readonly byte[] _modified = Encoding.UTF8.GetBytes("modified");
    private ulong _requestId;

    [GlobalSetup]
    public void Setup()
    {
        var homes = new FixedHome(Home);
        for (var i = 0; i < _nodes.Length; i++)
        {
            _nodes[i] = new CacheNodeCore(i, _nodes.Length, homes, new CacheOptions());
        }

        // hit: node 0 holds it in M.
        _nodes[0].Put(_hit, Value, ++_requestId);
        Pump();

        // shared: node 1 holds it in S (node 0 read it too, then evicted its copy).
        _nodes[0].Put(_shared, Value, ++_requestId);
        Pump();
        _nodes[1].Get(_shared, ++_requestId);
        Pump();
        _nodes[0].Evict(_shared);
        Pump();

        // invalidate: all three hold it in S.
        _nodes[0].Put(_invalidate, Value, ++_requestId);
        Pump();
        ReShare();

        // modified: node 0 holds it in M.
        _nodes[0].Put(_modified, Value, ++_requestId);
        Pump();

        // exclusive and upgrade: written once, then no node holds them.
        _nodes[0].Put(_exclusive, Value, ++_requestId);
        _nodes[0].Put(_upgrade, Value, ++_requestId);
        Pump();
        _nodes[0].Evict(_exclusive);
        _nodes[0].Evict(_upgrade);
        Pump();
    }

    /// <summary>A get that hits (E): no bus traffic.</summary>
    [Benchmark]
    [BenchmarkCategory(MicroConfig.ZeroAlloc)]
    public int ReadHit()
    {
        _nodes[0].Get(_hit, ++_requestId);
        var done = _nodes[0].Output.Completions.Count;
        _nodes[0].Output.Clear();
        return done;
    }

    /// <summary>Read miss with no other copy: BusRd → GrantE (I → E); then eviction (PutE, E → I).</summary>
    [Benchmark]
    public int ReadMissToExclusiveThenEvict() => ReadMissThenEvict(_exclusive);

    /// <summary>Read miss while node 1 shares the key: BusRd → GrantS (I → S); then eviction (PutS).</summary>
    [Benchmark]
    public int ReadMissToSharedThenEvict() => ReadMissThenEvict(_shared);

    /// <summary>
    /// A write at node 0 while nodes 1 and 2 share the key: BusUpgr, two Inv, two InvAck, GrantM
    /// (S → M); then nodes 1 and 2 read it again (Fetch from node 0: M → S), restoring the sharers.
    /// </summary>
    [Benchmark]
    public int WriteInvalidatingTwoSharersThenReshare()
    {
        _nodes[0].Put(_invalidate, Value, ++_requestId);
        Pump();
        return ReShare();
    }

    /// <summary>Read miss to E, a write that upgrades E → M silently (no bus message), then eviction with write-back (PutM).</summary>
    [Benchmark]
    public int ExclusiveToModifiedSilentCycle()
    {
        _nodes[0].Get(_upgrade, ++_requestId);
        Pump();
        _nodes[0].Put(_upgrade, Value, ++_requestId);
        var sent = _nodes[0].Output.Messages.Count;
        Pump();
        _nodes[0].Evict(_upgrade);
        return Pump() + sent;
    }

    /// <summary>A write hit in M: no bus traffic; the core copies the value (one array per write).</summary>
    [Benchmark]
    public int WriteHitModified()
    {
        _nodes[0].Put(_modified, Value, ++_requestId);
        var done = _nodes[0].Output.Completions.Count;
        _nodes[0].Output.Clear();
        return done;
    }

    private int ReShare()
    {
        _nodes[1].Get(_invalidate, ++_requestId);
        Pump();
        _nodes[2].Get(_invalidate, ++_requestId);
        return Pump();
    }

    /// <summary>Delivers bus messages until every core is quiet; drops completions. Returns messages delivered.</summary>
    private int Pump()
    {
        var delivered = 0;
        while (true)
        {
            _inbox.Clear();
            foreach (var node in _nodes)
            {
                _inbox.AddRange(node.Output.Messages);
                node.Output.Clear();
            }

            if (_inbox.Count == 0)
            {
                return delivered;
            }

            foreach (var message in _inbox)
            {
                _nodes[message.To].Receive(message);
                delivered++;
            }
        }
    }

    private int ReadMissThenEvict(byte[] key)
    {
        _nodes[0].Get(key, ++_requestId);
        Pump();
        _nodes[0].Evict(key);
        return Pump();
    }

    private sealed class FixedHome(int home) : IKeyHomes
    {
        public int HomeOf(ReadOnlySpan<byte> key) => home;
    }
}
