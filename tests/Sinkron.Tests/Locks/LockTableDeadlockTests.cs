using Sinkron.Nodes.Locks;

using Sinkron.Wire.Messages.Locks;

namespace Sinkron.Tests.Locks;

public class LockTableDeadlockTests
{
    [Fact]
    public void Two_session_cycle_fails_the_closing_request_and_names_it()
    {
        var d = new LockTableDriver();
        var (a, b) = (d.Open(), d.Open());
        d.Acquire(a, "x");
        d.Acquire(b, "y");
        Assert.Equal(LockOutcome.Queued, d.Acquire(a, "y").Status);

        var result = d.Acquire(b, "x");

        Assert.Equal(LockOutcome.Deadlock, result.Status);
        Assert.Equal([b, a], result.Cycle.ToArray());
        Assert.Equal([a], d.Waiters("y"));
        Assert.Empty(d.Waiters("x"));
    }

    [Fact]
    public void Three_session_cycle_is_named_in_wait_for_order()
    {
        var d = new LockTableDriver();
        var (a, b, c) = (d.Open(), d.Open(), d.Open());
        d.Acquire(a, "x");
        d.Acquire(b, "y");
        d.Acquire(c, "z");
        d.Acquire(a, "y");
        d.Acquire(b, "z");

        var result = d.Acquire(c, "x");

        Assert.Equal(LockOutcome.Deadlock, result.Status);
        Assert.Equal([c, a, b], result.Cycle.ToArray());
    }

    [Fact]
    public void A_waiter_ahead_in_conflicting_mode_is_part_of_the_cycle()
    {
        // b holds y; a queues exclusive on x behind shared holder h; b asks shared on x: it must wait behind a
        // (writer preference), and a waits for b's y: a cycle through the queue, not through a holder.
        var d = new LockTableDriver();
        var (h, a, b) = (d.Open(), d.Open(), d.Open());
        d.Acquire(h, "x", LockMode.Shared);
        d.Acquire(b, "y");
        d.Acquire(a, "y");
        Assert.Equal(LockOutcome.Queued, d.Acquire(a, "x", LockMode.Exclusive).Status);

        var result = d.Acquire(b, "x", LockMode.Shared);

        Assert.Equal(LockOutcome.Deadlock, result.Status);
        Assert.Equal([b, a], result.Cycle.ToArray());
    }

    [Fact]
    public void Compatible_waiter_ahead_is_not_a_false_deadlock()
    {
        // a waits shared on x (w holds it) and on y (b holds it); b then queues shared on x behind a. A compatible
        // waiter ahead only has to be granted, not to finish, so b does not wait for a: both get x when w releases.
        var d = new LockTableDriver();
        var (w, a, b) = (d.Open(), d.Open(), d.Open());
        d.Acquire(w, "x");
        d.Acquire(b, "y");
        d.Acquire(a, "x", LockMode.Shared);
        d.Acquire(a, "y");

        var result = d.Acquire(b, "x", LockMode.Shared);

        Assert.Equal(LockOutcome.Queued, result.Status);
        d.Release(w, "x");
        Assert.Equal([a, b], d.Holders("x"));
    }

    [Fact]
    public void Independent_waits_are_not_deadlocks()
    {
        var d = new LockTableDriver();
        var (a, b, c) = (d.Open(), d.Open(), d.Open());
        d.Acquire(a, "x");
        d.Acquire(b, "y");
        d.Acquire(b, "x");

        Assert.Equal(LockOutcome.Queued, d.Acquire(c, "y").Status);
        Assert.Equal(LockOutcome.Queued, d.Acquire(c, "x").Status);
    }
}
