using Sinkron.Nodes.Locks;

namespace Sinkron.Tests.Locks;

public class LockTableExactlyOnceTests
{
    [Fact]
    public void Retry_with_the_same_seq_returns_the_cached_result_without_reapplying()
    {
        var d = new LockTableDriver();
        var a = d.Open();
        var acquire = LockCommand.Acquire(0, a, seq: 1, "l", LockMode.Exclusive, 0);
        var first = d.Apply(acquire);
        var release = LockCommand.Release(0, a, seq: 2, "l");
        Assert.Equal(LockStatus.Released, d.Apply(release).Status);

        Assert.Equal(LockStatus.Released, d.Apply(release).Status);
        Assert.Equal(0, d.Table.LockCount);
        Assert.Equal(LockStatus.Stale, d.Apply(acquire).Status);
        Assert.Equal(0, d.Table.LockCount);
        Assert.Equal(LockStatus.Granted, first.Status);
    }

    [Fact]
    public void Retry_of_a_queued_acquire_returns_its_final_outcome()
    {
        var d = new LockTableDriver();
        var (a, b) = (d.Open(), d.Open());
        d.Acquire(a, "l");
        var waiting = LockCommand.Acquire(0, b, seq: 1, "l", LockMode.Exclusive, LockCommand.WaitForever);
        Assert.Equal(LockStatus.Queued, d.Apply(waiting).Status);
        Assert.Equal(LockStatus.Queued, d.Apply(waiting).Status);
        Assert.Single(d.Waiters("l"));

        d.Release(a, "l");

        var retried = d.Apply(waiting);
        Assert.Equal(LockStatus.Granted, retried.Status);
        Assert.Equal(Assert.Single(d.CompletedWaits(b)).Result, retried);
        Assert.Equal([b], d.Holders("l"));
    }

    [Fact]
    public void Deadlock_result_is_cached_too()
    {
        var d = new LockTableDriver();
        var (a, b) = (d.Open(), d.Open());
        d.Acquire(a, "x");
        d.Acquire(b, "y");
        d.Acquire(a, "y");
        var closing = LockCommand.Acquire(0, b, seq: 2, "x", LockMode.Exclusive, LockCommand.WaitForever);

        var first = d.Apply(closing);
        var retried = d.Apply(closing);

        Assert.Equal(LockStatus.Deadlock, first.Status);
        Assert.Equal(first, retried);
    }
}
