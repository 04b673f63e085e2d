using System.Diagnostics;
using Xunit.Abstractions;
using static Sinkron.Tests.Raft.Storage.StorageTestKit;

namespace Sinkron.Tests.Raft.Storage;

/// <summary>Prints what fsync costs on this machine, with one entry per fsync and with group commit.</summary>
public class DurableLogFsyncMeasurement(ITestOutputHelper output)
{
    [Fact]
    public void Reports_fsyncs_per_second()
    {
        using var dir = new TempDirectory();
        using var log = Open(dir);
        const int rounds = 200;

        var started = Stopwatch.GetTimestamp();
        for (ulong i = 1; i <= rounds; i++)
        {
            log.Append([Entry(i)]);
            log.Flush();
        }

        var serial = Stopwatch.GetElapsedTime(started);
        var afterSerial = log.Stats;

        started = Stopwatch.GetTimestamp();
        for (ulong i = rounds + 1; i <= rounds * 51; i++)
        {
            log.Append([Entry(i)]);
        }

        log.Flush();
        var grouped = Stopwatch.GetElapsedTime(started);
        var stats = log.Stats;

        output.WriteLine($"one entry per fsync: {rounds / serial.TotalSeconds:F0} fsyncs/s, mean fsync {afterSerial.MeanFsync.TotalMicroseconds:F0} µs, max {afterSerial.FsyncMax.TotalMicroseconds:F0} µs");
        output.WriteLine($"group commit: {rounds * 50} entries in {grouped.TotalMilliseconds:F1} ms with {stats.Fsyncs - afterSerial.Fsyncs} fsyncs ({rounds * 50 / grouped.TotalSeconds:F0} entries/s)");
        Assert.True(stats.Fsyncs - afterSerial.Fsyncs < rounds * 50);
    }
}
