using Sinkron.Bench.Macro;
using Sinkron.Tests.Raft.Storage;

namespace Sinkron.Tests.Bench;

public class LauncherProcessesTests
{
    [Fact]
    public void Reads_each_recorded_member_with_its_pid_in_launch_order()
    {
        using var data = new TempDirectory();
        var run = Directory.CreateDirectory(Path.Combine(data.Path, "run")).FullName;
        File.WriteAllLines(Path.Combine(run, "members"), ["redis1", "queue1", ""]);
        File.WriteAllText(Path.Combine(run, "redis1.pid"), "4242\n");
        File.WriteAllText(Path.Combine(run, "queue1.pid"), "4343\n");

        Assert.Equal([("redis1", 4242), ("queue1", 4343)], LauncherProcesses.Read(data.Path));
    }

    [Fact]
    public void A_folder_without_a_cluster_is_a_clear_error()
    {
        using var data = new TempDirectory();

        var error = Assert.Throws<FormatException>(() => LauncherProcesses.Read(data.Path));
        Assert.Contains($"no cluster recorded in {data.Path}", error.Message, StringComparison.Ordinal);
    }
}
