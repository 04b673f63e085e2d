using Sinkron.Client;
using Sinkron.Tests.Infrastructure;
using Sinkron.Tests.Raft.Storage;

namespace Sinkron.Tests.Locks;

/// <summary>
/// A real node whose log was damaged after it acknowledged writes refuses to start: it names the
/// segment and offset and exits with the data exit code, instead of dropping acknowledged entries
/// or dying of an unhandled exception.
/// </summary>
[Collection(LockProcessCollection.Name)]
public class LockDataCorruptionIntegrationTests
{
    private const int DataExitCode = 4;

    [Fact]
    public async Task A_node_with_a_corrupt_record_before_acknowledged_ones_exits_naming_segment_and_offset()
    {
        using var data = new TempDirectory();
        var port = FreePort.Next();
        await using (var node = new NodeProcess("lock", "lock1", port, data.Path))
        {
            node.Start();
            await node.WaitListeningAsync();
            await WriteSomeLocksAsync(port);
        }

        var segment = Directory.GetFiles(Path.Combine(data.Path, "raft", "wal"), "*.seg").Order().First();
        StorageTestKit.FlipByte(segment, offset: 16);

        await using var restarted = new NodeProcess("lock", "lock1", port, data.Path);
        restarted.Start();
        await Poll.UntilAsync(() => !restarted.IsRunning, LockCluster.Deadline, "the node to refuse its damaged log");

        Assert.Equal(DataExitCode, restarted.ExitCode);
        Assert.Contains($"cannot use the data folder {data.Path}", restarted.Log, StringComparison.Ordinal);
        Assert.Contains($"WAL segment {segment} is corrupt at byte offset", restarted.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", restarted.Log, StringComparison.Ordinal);
    }

    // Several acknowledged grants and releases, so valid records follow the one the test damages.
    private static async Task WriteSomeLocksAsync(int port)
    {
        await using var client = SinkronClient.Create(new SinkronClientOptions
        {
            CertificateDirectory = TestCertificates.Directory,
            LockNodes = [new("127.0.0.1", port)],
        });
        for (var i = 0; i < 5; i++)
        {
            await using var held = await client.Locks.AcquireAsync($"corrupt-{i}", LockMode.Exclusive, LockCluster.Deadline);
        }
    }
}
