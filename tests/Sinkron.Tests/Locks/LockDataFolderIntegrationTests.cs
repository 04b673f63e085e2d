using Sinkron.Client;
using Sinkron.Tests.Infrastructure;
using Sinkron.Tests.Raft.Storage;

namespace Sinkron.Tests.Locks;

/// <summary>
/// A real node refuses a data folder it must not serve from, and exits saying why: Raft data written
/// under other voters (never replayed into a new cluster), or a log damaged after it acknowledged
/// writes (never cut short, never an unhandled exception).
/// </summary>
[Collection(LockProcessCollection.Name)]
public class LockDataFolderIntegrationTests
{
    private const int DataExitCode = 4;

    [Fact]
    public async Task A_node_that_ran_alone_refuses_to_join_two_others_and_exits_naming_both_memberships()
    {
        using var data = new TempDirectory();
        var port = FreePort.Next();
        await RunAloneAsync(port, data.Path);

        var peers = $"lock1=127.0.0.1:{port},lock2=127.0.0.1:{FreePort.Next()},lock3=127.0.0.1:{FreePort.Next()}";
        await using var joined = await StartUntilExitAsync(port, data.Path, "the node to refuse its data", "--peers", peers);

        Assert.Equal(2, joined.ExitCode);
        Assert.Contains("belongs to the voters 1=lock1, but this node was started with 1=lock1,2=lock2,3=lock3", joined.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_with_a_corrupt_record_before_acknowledged_ones_exits_naming_segment_and_offset()
    {
        using var data = new TempDirectory();
        var port = FreePort.Next();
        await RunAloneAsync(port, data.Path, WriteSomeLocksAsync);

        var segment = Directory.GetFiles(Path.Combine(data.Path, "raft", "wal"), "*.seg").Order().First();
        StorageTestKit.FlipByte(segment, offset: 16);
        await using var restarted = await StartUntilExitAsync(port, data.Path, "the node to refuse its damaged log");

        Assert.Equal(DataExitCode, restarted.ExitCode);
        Assert.Contains($"cannot use the data folder {data.Path}", restarted.Log, StringComparison.Ordinal);
        Assert.Contains($"WAL segment {segment} is corrupt at byte offset", restarted.Log, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", restarted.Log, StringComparison.Ordinal);
    }

    // lock1 as a cluster of one on the folder until it listens (and `whileUp` is done), then SIGKILL.
    private static async Task RunAloneAsync(int port, string data, Func<NodeProcess, Task>? whileUp = null)
    {
        await using var node = new NodeProcess("lock", "lock1", port, data);
        node.Start();
        await node.WaitListeningAsync();
        if (whileUp is not null)
        {
            await whileUp(node);
        }
    }

    private static async Task<NodeProcess> StartUntilExitAsync(int port, string data, string what, params string[] extraArgs)
    {
        var node = new NodeProcess("lock", "lock1", port, data, extraArgs);
        node.Start();
        await Poll.UntilAsync(() => !node.IsRunning, LockCluster.Deadline, what);
        return node;
    }

    // Several acknowledged grants and releases, so valid records follow the one the test damages.
    private static async Task WriteSomeLocksAsync(NodeProcess node)
    {
        await using var client = node.NewLockClient();
        for (var i = 0; i < 5; i++)
        {
            await using var held = await client.Locks.AcquireAsync($"corrupt-{i}", LockMode.Exclusive, LockCluster.Deadline);
        }
    }
}
