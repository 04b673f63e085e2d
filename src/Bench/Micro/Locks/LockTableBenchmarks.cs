using BenchmarkDotNet.Attributes;
using Sinkron.Nodes.Locks;

namespace Sinkron.Bench.Micro.Locks;

/// <summary>The replicated state machine alone: an uncontended acquire + release pair, as a lock node applies it.</summary>
[BenchmarkCategory("Locks")]
public class LockTableBenchmarks
{
    private const int Names = 1024;
    private readonly LockTable _table = new();
    private readonly List<LockEvent> _events = [];
    private readonly string[] _names = [.. Enumerable.Range(0, Names).Select(i => $"lock-{i}")];
    private ulong _index;
    private ulong _session;
    private ulong _seq;

    [GlobalSetup]
    public void Setup() => _session = _table.Apply(++_index, LockCommand.OpenSession(1, 1, 3_600_000), _events).Value;

    [Benchmark(OperationsPerInvoke = 2)]
    public ulong AcquireRelease()
    {
        var name = _names[(int)(_index % Names)];
        var seq = ++_seq;
        _events.Clear();
        var granted = _table.Apply(++_index, LockCommand.Acquire(2, _session, seq, seq, name, LockMode.Exclusive, 0), _events);
        var release = ++_seq;
        _table.Apply(++_index, LockCommand.Release(2, _session, release, release, name), _events);
        return granted.Token;
    }
}
