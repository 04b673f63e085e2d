using BenchmarkDotNet.Attributes;
using Sinkron.Nodes.Raft;
using Sinkron.Nodes.Raft.Storage;

namespace Sinkron.Bench.Micro.Storage;

/// <summary>
/// Group commit of the durable Raft log on this machine's disk: append a batch of 64-byte
/// entries, then one Sync (a single write and fsync); repeated <see cref="Rounds"/> times per
/// invocation. Reported per entry, so the fsync's cost shows spread over the batch. Each iteration
/// starts on a fresh log in a temporary folder. In the Disk category: skipped by <c>--job dry</c>
/// (thousands of fsyncs would take the smoke minutes).
/// </summary>
[BenchmarkCategory("Raft", MicroConfig.Disk)]
public class DurableLogBenchmarks
{
    private const int Rounds = 16;
    private static readonly byte[] Payload = new byte[64];
    private readonly LogEntry[] _entries = new LogEntry[256];
    private DurableLog? _log;
    private string _directory = "";
    private ulong _next;

    [IterationSetup]
    public void Open()
    {
        _directory = Path.Combine(Path.GetTempPath(), $"sinkron-bench-wal-{Environment.ProcessId}-{Guid.NewGuid():N}");
        _log = DurableLog.Open(new DurableLogOptions(_directory));
        _log.SaveHardState(new HardState(1, 0, 0));
        _log.Flush();
        _next = 1;
    }

    [IterationCleanup]
    public void Close()
    {
        _log?.Dispose();
        _log = null;
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>One entry per fsync: the cost of an fsync, undivided.</summary>
    [Benchmark(OperationsPerInvoke = Rounds)]
    public ulong Batch1PerEntry() => Commit(1);

    [Benchmark(OperationsPerInvoke = Rounds * 16)]
    public ulong Batch16PerEntry() => Commit(16);

    [Benchmark(OperationsPerInvoke = Rounds * 256)]
    public ulong Batch256PerEntry() => Commit(256);

    private ulong Commit(int batch)
    {
        var log = _log!;
        var entries = _entries.AsSpan(0, batch);
        for (var round = 0; round < Rounds; round++)
        {
            for (var i = 0; i < entries.Length; i++)
            {
                entries[i] = new LogEntry(_next++, 1, EntryKind.Command, Payload);
            }

            log.Append(entries);
            log.Flush();
        }

        return _next;
    }
}
