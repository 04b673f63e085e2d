using Sinkron.Tests.Infrastructure;
using Sinkron.Tests.Raft.Storage;

namespace Sinkron.Tests.Locks;

/// <summary>A real node refuses Raft data written under other voters instead of replaying it into a new cluster.</summary>
[Collection(LockProcessCollection.Name)]
public class LockDataMembershipIntegrationTests
{
    [Fact]
    public async Task A_node_that_ran_alone_refuses_to_join_two_others_and_exits_naming_both_memberships()
    {
        using var data = new TempDirectory();
        var port = FreePort.Next();
        await using (var alone = new NodeProcess("lock", "lock1", port, data.Path))
        {
            alone.Start();
            await alone.WaitListeningAsync();
        }

        var peers = $"lock1=127.0.0.1:{port},lock2=127.0.0.1:{FreePort.Next()},lock3=127.0.0.1:{FreePort.Next()}";
        await using var joined = new NodeProcess("lock", "lock1", port, data.Path, "--peers", peers);
        joined.Start();
        await Poll.UntilAsync(() => !joined.IsRunning, TimeSpan.FromSeconds(30), "the node to refuse its data");

        Assert.Equal(2, joined.ExitCode);
        Assert.Contains("belongs to the voters 1=lock1, but this node was started with 1=lock1,2=lock2,3=lock3", joined.Log, StringComparison.Ordinal);
    }
}
