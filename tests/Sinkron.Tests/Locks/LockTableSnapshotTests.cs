using Sinkron.Nodes.Locks;

using Sinkron.Wire.Messages.Locks;

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
            LockCommand.Acquire(300, c, 9, 1, "z", LockMode.Exclusive, 0),
            LockCommand.Expire(450),
            LockCommand.Release(500, c, 10, 9, "y"),
            LockCommand.OpenSession(600, 7, 1000),
            LockCommand.Expire(1000),
            LockCommand.Acquire(1100, b, 9, 2, "y", LockMode.Exclusive, 0),
            LockCommand.Acquire(1100, b, 9, 2, "y", LockMode.Exclusive, 0),
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
    public void Result_window_and_watermark_survive_a_round_trip()
    {
        var d = new LockTableDriver();
        var (a, b) = (d.Open(), d.Open());
        d.Acquire(b, "q");
        d.Acquire(b, "d");
        d.Acquire(a, "d");
        LockCommand[] sent =
        [
            LockCommand.Acquire(0, a, 9, 4, "x", LockMode.Exclusive, 0),
            LockCommand.Acquire(0, a, 5, 4, "q", LockMode.Exclusive, LockCommand.WaitForever),
            LockCommand.Release(0, a, 12, 4, "nothing"),
            LockCommand.Acquire(0, a, 6, 4, "q2", LockMode.Shared, 0),
            LockCommand.Acquire(0, a, 7, 5, "q", LockMode.Shared, 0),
            LockCommand.Acquire(0, b, 2, 2, "d", LockMode.Exclusive, 0),
        ];
        var first = new LockResult[sent.Length];
        for (var i = 0; i < sent.Length; i++)
        {
            first[i] = d.Apply(sent[i]);
        }

        var deadlock = d.Apply(LockCommand.Acquire(0, b, 3, 2, "x", LockMode.Exclusive, LockCommand.WaitForever));
        Assert.Equal(LockOutcome.Deadlock, deadlock.Status);

        var snapshot = d.Table.ToSnapshot();
        var restored = new LockTableDriver(LockTable.Restore(snapshot));

        Assert.Equal(snapshot, restored.Table.ToSnapshot());
        Assert.True(restored.Table.TryGetResultWindow(a, out var cached, out var staleBelow));
        Assert.Equal((5, 5UL), (cached, staleBelow));
        LockTableDriver[] both = [d, restored];
        foreach (var driver in both)
        {
            Assert.Equal(LockOutcome.Stale, driver.Apply(sent[0] with { Seq = 3, AckedBelow = 3 }).Status);
            for (var i = 0; i < sent.Length; i++)
            {
                Assert.Equal(first[i], driver.Apply(sent[i]));
            }

            Assert.Equal(deadlock, driver.Apply(LockCommand.Acquire(0, b, 3, 2, "x", LockMode.Exclusive, LockCommand.WaitForever)));
            driver.Apply(LockCommand.Release(0, b, 4, 4, "q"));
            Assert.Equal(LockOutcome.Granted, driver.Apply(sent[1]).Status);
        }

        Assert.Equal(d.Table.ToSnapshot(), restored.Table.ToSnapshot());
    }

    [Fact]
    public void A_window_out_of_order_or_below_its_watermark_is_refused()
    {
        var d = new LockTableDriver();
        var a = d.Open();
        d.Apply(LockCommand.Release(0, a, 5, 2, "x"));
        d.Apply(LockCommand.Release(0, a, 7, 2, "y"));
        var snapshot = d.Table.ToSnapshot();

        // magic, lastApplied, nowMs, session count | id, clientId, ttl, deadline, staleBelow, window count | seq, result…
        const int Watermark = 4 + 8 + 8 + 4 + (4 * 8);
        const int FirstSeq = Watermark + 8 + 4;
        const int SecondSeq = FirstSeq + 8 + 1 + 8 + 4;
        Assert.Equal(2, snapshot[Watermark]);
        Assert.Equal(5, snapshot[FirstSeq]);
        Assert.Equal(7, snapshot[SecondSeq]);

        var outOfOrder = (byte[])snapshot.Clone();
        outOfOrder[SecondSeq] = 5;
        Assert.Contains("cached seq 5 out of order", Assert.Throws<InvalidDataException>(() => LockTable.Restore(outOfOrder)).Message, StringComparison.Ordinal);

        var belowWatermark = (byte[])snapshot.Clone();
        belowWatermark[Watermark] = 6;
        Assert.Contains("below 6", Assert.Throws<InvalidDataException>(() => LockTable.Restore(belowWatermark)).Message, StringComparison.Ordinal);

        var hugeCount = (byte[])snapshot.Clone();
        hugeCount[FirstSeq - 1] = 0x7F;
        Assert.Contains("truncated result window", Assert.Throws<InvalidDataException>(() => LockTable.Restore(hugeCount)).Message, StringComparison.Ordinal);
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
