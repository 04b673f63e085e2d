using Sinkron.Nodes.Locks;

namespace Sinkron.Tests.Locks;

public class LockTableSnapshotTests
{
    [Fact]
    public void Restored_table_gives_identical_results_for_the_same_further_commands()
    {
        var d = new LockTableDriver();
        var a = d.Open(ttlMs: 1000, clientId: 7);
        var b = d.Open(ttlMs: 5000);
        var c = d.Open(ttlMs: 5000);
        d.Acquire(a, "x");
        d.Acquire(b, "x", LockMode.Shared, waitMs: 400);
        d.Acquire(c, "x", LockMode.Shared);
        d.Acquire(c, "y");
        d.Acquire(b, "y", LockMode.Exclusive, waitMs: 2000);
        d.Acquire(a, "y");

        var snapshot = d.Table.ToSnapshot();
        var restored = new LockTableDriver(LockTable.Restore(snapshot));
        Assert.Equal(snapshot, restored.Table.ToSnapshot());

        LockCommand[] further =
        [
            LockCommand.Acquire(300, c, 9, "z", LockMode.Exclusive, 0),
            LockCommand.Expire(450),
            LockCommand.Release(500, c, 10, "y"),
            LockCommand.OpenSession(600, 7, 1000),
            LockCommand.Expire(1000),
            LockCommand.Acquire(1100, b, 9, "y", LockMode.Exclusive, 0),
            LockCommand.Acquire(1100, b, 9, "y", LockMode.Exclusive, 0),
        ];
        foreach (var command in further)
        {
            Assert.Equal(d.Apply(command), restored.Apply(command));
        }

        Assert.Equal(d.Events[^restored.Events.Count..], restored.Events);
        Assert.Equal(d.Table.ToSnapshot(), restored.Table.ToSnapshot());
        Assert.Equal(d.Table.ListLocks(), restored.Table.ListLocks(), LockInfoComparer.Instance);
    }

    [Fact]
    public void Empty_table_round_trips()
    {
        var table = LockTable.Restore(new LockTable().ToSnapshot());

        Assert.Equal(0, table.SessionCount);
        Assert.Equal(0UL, table.LastAppliedIndex);
    }

    [Fact]
    public void Damaged_snapshots_are_refused_with_a_clear_error()
    {
        var d = new LockTableDriver();
        var a = d.Open();
        d.Acquire(a, "x");
        var snapshot = d.Table.ToSnapshot();

        for (var length = 0; length < snapshot.Length; length++)
        {
            var error = Assert.Throws<InvalidDataException>(() => LockTable.Restore(snapshot.AsMemory(0, length)));
            Assert.StartsWith("lock table snapshot:", error.Message, StringComparison.Ordinal);
        }

        var badMagic = (byte[])snapshot.Clone();
        badMagic[0] ^= 0xFF;
        Assert.Contains("magic", Assert.Throws<InvalidDataException>(() => LockTable.Restore(badMagic)).Message, StringComparison.Ordinal);
    }

    private sealed class LockInfoComparer : IEqualityComparer<LockInfo>
    {
        public static readonly LockInfoComparer Instance = new();

        public bool Equals(LockInfo? x, LockInfo? y) =>
            x!.Name == y!.Name && x.Holders.SequenceEqual(y.Holders) && x.Waiters.SequenceEqual(y.Waiters);

        public int GetHashCode(LockInfo obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
    }
}
