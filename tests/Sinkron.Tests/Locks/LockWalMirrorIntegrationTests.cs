using Sinkron.Client;
using Sinkron.Tests.Infrastructure;
using Sinkron.Tests.Raft.Storage;

namespace Sinkron.Tests.Locks;

/// <summary>
/// <c>--wal-mirror</c>, the diagnostic behind <c>./run-bench.sh floor</c>: a real node writes its log to the mirror
/// too while it serves locks, and a mirror path it cannot create is refused at start with the setting's name.
/// </summary>
[Collection(LockProcessCollection.Name)]
public class LockWalMirrorIntegrationTests
{
    [Fact]
    public async Task A_node_with_a_mirror_grants_locks_and_writes_its_log_to_the_mirror()
    {
        using var data = new TempDirectory();
        var mirror = Path.Combine(data.Path, "mirror");
        await using var node = new NodeProcess("lock", "lock1", FreePort.Next(), Path.Combine(data.Path, "node"), "--wal-mirror", mirror);
        node.Start();
        await node.WaitListeningAsync();
        await using var client = node.NewLockClient();

        await using (await client.Locks.AcquireAsync("mirrored", LockMode.Exclusive, LockCluster.Deadline))
        {
        }

        // The mirror starts with the same bytes as the first WAL segment: the node wrote each batch to both.
        var segment = Directory.GetFiles(Path.Combine(data.Path, "node", "raft", "wal"), "*.seg").Order().First();
        var written = File.ReadAllBytes(segment).AsSpan(0, 64).ToArray();
        Assert.Contains(written, b => b != 0);
        Assert.Equal(written, File.ReadAllBytes(mirror).AsSpan(0, 64).ToArray());
        Assert.Contains("--wal-mirror is set", node.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mirror_in_a_missing_folder_is_refused_at_start_naming_the_setting()
    {
        using var data = new TempDirectory();
        var mirror = Path.Combine(data.Path, "missing", "mirror");
        await using var node = new NodeProcess("lock", "lock1", FreePort.Next(), data.Path, "--wal-mirror", mirror);
        node.Start();
        await Poll.UntilAsync(() => !node.IsRunning, LockCluster.Deadline, "the node to refuse the mirror path");

        Assert.Equal(2, node.ExitCode);
        Assert.Contains("--wal-mirror (or SINKRON_WALMIRROR)", node.Log, StringComparison.Ordinal);
        Assert.Contains("is in a folder that does not exist", node.Log, StringComparison.Ordinal);
    }
}
