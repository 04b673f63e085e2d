using Sinkron.Nodes.Hosting;
using Sinkron.Nodes.Raft.Storage;

namespace Sinkron.Tests.Raft.Storage;

public class MembershipFileTests
{
    private static readonly (ulong, string)[] Three = [(1, "lock1"), (2, "lock2"), (3, "lock3")];

    [Fact]
    public void The_first_start_records_the_voters_and_the_same_voters_start_again()
    {
        using var dir = new TempDirectory();
        var raft = Path.Combine(dir.Path, "raft");

        MembershipFile.CheckOrRecord(raft, Three);
        MembershipFile.CheckOrRecord(raft, Three.Reverse());

        Assert.Equal("1=lock1,2=lock2,3=lock3", File.ReadAllText(Path.Combine(raft, MembershipFile.FileName)).Trim());
    }

    [Fact]
    public void Data_of_a_node_that_ran_alone_refuses_a_three_node_membership_naming_both()
    {
        using var dir = new TempDirectory();
        var raft = Path.Combine(dir.Path, "raft");
        MembershipFile.CheckOrRecord(raft, [(1, "lock1")]);

        var error = Assert.Throws<SettingsException>(() => MembershipFile.CheckOrRecord(raft, Three));

        Assert.Contains("belongs to the voters 1=lock1,", error.Message, StringComparison.Ordinal);
        Assert.Contains("started with 1=lock1,2=lock2,3=lock3", error.Message, StringComparison.Ordinal);
    }
}
