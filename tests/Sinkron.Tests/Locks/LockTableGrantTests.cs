using Sinkron.Nodes.Locks;

using Sinkron.Wire.Messages.Locks;

namespace Sinkron.Tests.Locks;

public class LockTableGrantTests
{
    [Fact]
    public void Exclusive_lock_is_granted_with_the_log_index_as_fencing_token()
    {
        var d = new LockTableDriver();
        var a = d.Open();

        var result = d.Acquire(a, "orders");

        Assert.Equal(LockOutcome.Granted, result.Status);
        Assert.Equal(d.Index, result.Token);
        Assert.Equal([a], d.Holders("orders"));
    }

    [Fact]
    public void Shared_holders_coexist_and_exclude_an_exclusive_request()
    {
        var d = new LockTableDriver();
        var (a, b, c) = (d.Open(), d.Open(), d.Open());

        Assert.Equal(LockOutcome.Granted, d.Acquire(a, "l", LockMode.Shared).Status);
        Assert.Equal(LockOutcome.Granted, d.Acquire(b, "l", LockMode.Shared).Status);
        Assert.Equal(LockOutcome.Busy, d.Acquire(c, "l", LockMode.Exclusive, waitMs: 0).Status);
        Assert.Equal(LockOutcome.Queued, d.Acquire(c, "l", LockMode.Exclusive).Status);

        Assert.Equal([a, b], d.Holders("l"));
        Assert.Equal([c], d.Waiters("l"));
    }

    [Fact]
    public void Exclusive_holder_excludes_everyone_and_try_acquire_reports_busy()
    {
        var d = new LockTableDriver();
        var (a, b) = (d.Open(), d.Open());
        d.Acquire(a, "l");

        Assert.Equal(LockOutcome.Busy, d.Acquire(b, "l", LockMode.Shared, waitMs: 0).Status);
        Assert.Equal(LockOutcome.Busy, d.Acquire(b, "l", LockMode.Exclusive, waitMs: 0).Status);
        Assert.Empty(d.Waiters("l"));
    }

    [Fact]
    public void Waiters_are_granted_in_fifo_order_on_release()
    {
        var d = new LockTableDriver();
        var (a, b, c, e) = (d.Open(), d.Open(), d.Open(), d.Open());
        d.Acquire(a, "l");
        d.Acquire(b, "l");
        d.Acquire(c, "l");
        d.Acquire(e, "l");

        d.Release(a, "l");
        Assert.Equal([b], d.Holders("l"));
        d.Release(b, "l");
        Assert.Equal([c], d.Holders("l"));
        d.Release(c, "l");
        Assert.Equal([e], d.Holders("l"));

        var grantedOrder = d.Events.FindAll(ev => ev.Result.Status == LockOutcome.Granted).ConvertAll(ev => ev.Session);
        Assert.Equal([b, c, e], grantedOrder);
    }

    [Fact]
    public void Queued_grant_event_carries_the_original_seq_and_a_fresh_token()
    {
        var d = new LockTableDriver();
        var (a, b) = (d.Open(), d.Open());
        var first = d.Acquire(a, "l");
        d.Acquire(b, "l");
        var bSeq = 1UL;

        d.Release(a, "l");

        var granted = Assert.Single(d.CompletedWaits(b));
        Assert.Equal(bSeq, granted.Seq);
        Assert.Equal("l", granted.Name);
        Assert.Equal(LockOutcome.Granted, granted.Result.Status);
        Assert.Equal(d.Index, granted.Result.Token);
        Assert.True(granted.Result.Token > first.Token);
    }

    [Fact]
    public void Writer_preference_a_waiting_exclusive_blocks_later_shared_requests()
    {
        var d = new LockTableDriver();
        var (reader1, writer, reader2, reader3) = (d.Open(), d.Open(), d.Open(), d.Open());
        d.Acquire(reader1, "l", LockMode.Shared);
        Assert.Equal(LockOutcome.Queued, d.Acquire(writer, "l", LockMode.Exclusive).Status);

        Assert.Equal(LockOutcome.Queued, d.Acquire(reader2, "l", LockMode.Shared).Status);
        Assert.Equal(LockOutcome.Busy, d.Acquire(reader3, "l", LockMode.Shared, waitMs: 0).Status);

        d.Release(reader1, "l");
        Assert.Equal([writer], d.Holders("l"));
        Assert.Equal([reader2], d.Waiters("l"));
    }

    [Fact]
    public void Readers_queued_behind_a_writer_are_granted_together_and_the_next_writer_still_waits()
    {
        var d = new LockTableDriver();
        var (w1, r1, r2, w2, r3) = (d.Open(), d.Open(), d.Open(), d.Open(), d.Open());
        d.Acquire(w1, "l");
        d.Acquire(r1, "l", LockMode.Shared);
        d.Acquire(r2, "l", LockMode.Shared);
        d.Acquire(w2, "l");
        d.Acquire(r3, "l", LockMode.Shared);

        d.Release(w1, "l");

        Assert.Equal([r1, r2], d.Holders("l"));
        Assert.Equal([w2, r3], d.Waiters("l"));
        d.Release(r1, "l");
        d.Release(r2, "l");
        Assert.Equal([w2], d.Holders("l"));
        d.Release(w2, "l");
        Assert.Equal([r3], d.Holders("l"));
    }

    [Fact]
    public void Fencing_tokens_strictly_increase_across_grants_of_one_lock()
    {
        var d = new LockTableDriver();
        var (a, b) = (d.Open(), d.Open());
        var tokens = new List<ulong>();
        for (var i = 0; i < 5; i++)
        {
            tokens.Add(d.Acquire(a, "l").Token);
            d.Acquire(b, "l");
            d.Release(a, "l");
            tokens.Add(d.CompletedWaits(b)[^1].Result.Token);
            d.Release(b, "l");
        }

        for (var i = 1; i < tokens.Count; i++)
        {
            Assert.True(tokens[i] > tokens[i - 1], $"token {tokens[i]} after {tokens[i - 1]}");
        }
    }

    [Fact]
    public void Reentrant_acquire_returns_the_existing_grant_and_one_release_frees_it()
    {
        var d = new LockTableDriver();
        var (a, b) = (d.Open(), d.Open());
        var first = d.Acquire(a, "l");

        Assert.Equal(first, d.Acquire(a, "l"));
        Assert.Equal(first, d.Acquire(a, "l", LockMode.Shared));
        d.Release(a, "l");

        Assert.Equal(LockOutcome.Granted, d.Acquire(b, "l", waitMs: 0).Status);
    }

    [Fact]
    public void Upgrading_a_shared_hold_to_exclusive_is_refused()
    {
        var d = new LockTableDriver();
        var a = d.Open();
        d.Acquire(a, "l", LockMode.Shared);

        Assert.Equal(LockOutcome.UpgradeNotSupported, d.Acquire(a, "l", LockMode.Exclusive).Status);
    }

    [Fact]
    public void Release_of_a_lock_not_held_is_not_held_and_changes_nothing()
    {
        var d = new LockTableDriver();
        var (a, b) = (d.Open(), d.Open());
        d.Acquire(a, "l");

        Assert.Equal(LockOutcome.NotHeld, d.Release(b, "l").Status);
        Assert.Equal(LockOutcome.NotHeld, d.Release(b, "nothing").Status);
        Assert.Equal([a], d.Holders("l"));
    }

    [Fact]
    public void Release_of_a_waited_lock_cancels_the_wait_and_lets_those_behind_through()
    {
        var d = new LockTableDriver();
        var (reader, writer, reader2) = (d.Open(), d.Open(), d.Open());
        d.Acquire(reader, "l", LockMode.Shared);
        d.Acquire(writer, "l");
        d.Acquire(reader2, "l", LockMode.Shared);

        Assert.Equal(LockOutcome.Cancelled, d.Release(writer, "l").Status);

        Assert.Equal(LockOutcome.Cancelled, Assert.Single(d.CompletedWaits(writer)).Result.Status);
        Assert.Equal([reader, reader2], d.Holders("l"));
    }

    [Fact]
    public void Waiting_twice_for_the_same_lock_is_refused()
    {
        var d = new LockTableDriver();
        var (a, b) = (d.Open(), d.Open());
        d.Acquire(a, "l");
        d.Acquire(b, "l");

        Assert.Equal(LockOutcome.AlreadyWaiting, d.Acquire(b, "l").Status);
    }

    [Fact]
    public void Idle_locks_are_forgotten()
    {
        var d = new LockTableDriver();
        var a = d.Open();
        d.Acquire(a, "l");
        d.Release(a, "l");

        Assert.Equal(0, d.Table.LockCount);
    }

    [Fact]
    public void Listing_filters_by_prefix_and_sorts_by_name()
    {
        var d = new LockTableDriver();
        var (a, b) = (d.Open(), d.Open());
        d.Acquire(a, "jobs/2");
        d.Acquire(a, "jobs/1", LockMode.Shared);
        d.Acquire(b, "jobs/1");
        d.Acquire(a, "other");

        var listed = d.Table.ListLocks("jobs/");

        Assert.Equal(["jobs/1", "jobs/2"], listed.Select(l => l.Name));
        Assert.Equal(new HolderInfo(a, LockMode.Shared, 4), Assert.Single(listed[0].Holders));
        Assert.Equal(b, Assert.Single(listed[0].Waiters).Session);
        Assert.Equal(3, d.Table.ListLocks().Count);
    }

    [Fact]
    public void Commands_with_invalid_fields_are_rejected_without_effect()
    {
        var d = new LockTableDriver();
        var a = d.Open();

        Assert.Equal(LockOutcome.InvalidCommand, d.Apply(LockCommand.OpenSession(0, 0, ttlMs: 0)).Status);
        Assert.Equal(LockOutcome.InvalidCommand, d.Apply(LockCommand.Acquire(0, a, 1, 1, "", LockMode.Exclusive, 0)).Status);
        Assert.Equal(LockOutcome.InvalidCommand, d.Apply(LockCommand.Acquire(0, a, 1, 1, "l", (LockMode)7, 0)).Status);
        Assert.Equal(LockOutcome.InvalidCommand, d.Apply(LockCommand.Acquire(0, a, 1, 1, new string('x', 600), LockMode.Shared, 0)).Status);
        Assert.Equal(LockOutcome.InvalidCommand, d.Apply(LockCommand.Acquire(0, a, 1, 2, "l", LockMode.Shared, 0)).Status);
        Assert.Equal(0, d.Table.LockCount);
    }

    [Fact]
    public void Applying_an_index_twice_is_a_programming_error()
    {
        var table = new LockTable();
        table.Apply(5, LockCommand.Expire(0), []);

        Assert.Throws<ArgumentOutOfRangeException>(() => table.Apply(5, LockCommand.Expire(0), []));
    }
}
