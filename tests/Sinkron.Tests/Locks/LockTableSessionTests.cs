using Sinkron.Nodes.Locks;

using Sinkron.Wire.Messages.Locks;

namespace Sinkron.Tests.Locks;

public class LockTableSessionTests
{
    [Fact]
    public void Session_id_is_the_log_index_of_its_open()
    {
        var d = new LockTableDriver();
        d.Apply(LockCommand.Expire(0));

        var session = d.Open();

        Assert.Equal(2UL, session);
    }

    [Fact]
    public void Retried_open_with_the_same_client_id_returns_the_same_session()
    {
        var d = new LockTableDriver();
        var first = d.Open(clientId: 42);
        var second = d.Open(clientId: 42);
        var other = d.Open(clientId: 43);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
        Assert.Equal(2, d.Table.SessionCount);
    }

    [Fact]
    public void Keepalive_extends_the_lease_from_the_command_time()
    {
        var d = new LockTableDriver();
        var a = d.Open(ttlMs: 1000);
        d.NowMs = 900;

        var result = d.KeepAlive(a);

        Assert.Equal(LockOutcome.KeptAlive, result.Status);
        Assert.Equal(1900UL, result.Value);
        d.Expire(1899);
        Assert.Equal(1, d.Table.SessionCount);
        d.Expire(1900);
        Assert.Equal(0, d.Table.SessionCount);
    }

    [Fact]
    public void Expiry_releases_locks_drops_waits_and_grants_to_the_next_waiter()
    {
        var d = new LockTableDriver();
        var a = d.Open(ttlMs: 1000);
        var b = d.Open(ttlMs: 5000);
        var c = d.Open(ttlMs: 5000);
        d.Acquire(a, "held");
        d.Acquire(b, "held");
        d.Acquire(c, "other");
        d.Acquire(a, "other");

        d.Expire(1000);

        Assert.Equal([b], d.Holders("held"));
        Assert.Empty(d.Waiters("other"));
        Assert.Contains(d.Events, e => e.Kind == LockEventKind.SessionExpired && e.Session == a);
        var dropped = Assert.Single(d.CompletedWaits(a));
        Assert.Equal(("other", LockOutcome.SessionExpired), (dropped.Name, dropped.Result.Status));
        Assert.Equal(LockOutcome.Granted, Assert.Single(d.CompletedWaits(b)).Result.Status);
    }

    [Fact]
    public void Any_command_past_a_deadline_expires_the_session_first()
    {
        var d = new LockTableDriver();
        var a = d.Open(ttlMs: 100);
        var b = d.Open(ttlMs: 10_000);
        d.Acquire(a, "l");
        d.NowMs = 150;

        var result = d.Acquire(b, "l", waitMs: 0);

        Assert.Equal(LockOutcome.Granted, result.Status);
        Assert.Contains(d.Events, e => e.Kind == LockEventKind.SessionExpired && e.Session == a);
    }

    [Fact]
    public void A_command_from_an_expired_session_answers_session_expired_then_unknown()
    {
        var d = new LockTableDriver();
        var a = d.Open(ttlMs: 100);
        d.NowMs = 100;

        Assert.Equal(LockOutcome.SessionExpired, d.KeepAlive(a).Status);
        Assert.Equal(LockOutcome.UnknownSession, d.KeepAlive(a).Status);
        Assert.Equal(LockOutcome.UnknownSession, d.Acquire(a, "l").Status);
    }

    [Fact]
    public void A_lock_is_never_granted_to_a_waiter_whose_lease_expired_at_the_release_time()
    {
        var d = new LockTableDriver();
        var holder = d.Open(ttlMs: 10_000);
        var waiter = d.Open(ttlMs: 500);
        var next = d.Open(ttlMs: 10_000);
        d.Acquire(holder, "l");
        d.Acquire(waiter, "l");
        d.Acquire(next, "l");

        // The release is proposed after the waiter's lease ran out, but no Expire was committed in between.
        d.NowMs = 600;
        d.Release(holder, "l");

        Assert.Equal([next], d.Holders("l"));
        Assert.DoesNotContain(d.Events, e => e.Session == waiter && e.Result.Status == LockOutcome.Granted);
        Assert.Equal(LockOutcome.SessionExpired, Assert.Single(d.CompletedWaits(waiter)).Result.Status);
    }

    [Fact]
    public void Sessions_expiring_together_do_not_receive_each_others_locks()
    {
        var d = new LockTableDriver();
        var a = d.Open(ttlMs: 100);
        var b = d.Open(ttlMs: 100);
        d.Acquire(a, "l");
        d.Acquire(b, "l");

        d.Expire(100);

        Assert.DoesNotContain(d.Events, e => e.Result.Status == LockOutcome.Granted);
        Assert.Equal(0, d.Table.LockCount);
    }

    [Fact]
    public void Close_releases_everything_and_cancels_waits()
    {
        var d = new LockTableDriver();
        var (a, b, c) = (d.Open(), d.Open(), d.Open());
        d.Acquire(a, "x");
        d.Acquire(a, "y", LockMode.Shared);
        d.Acquire(c, "z");
        d.Acquire(a, "z");
        d.Acquire(b, "x");

        Assert.Equal(LockOutcome.SessionClosed, d.Close(a).Status);

        Assert.Equal([b], d.Holders("x"));
        Assert.Empty(d.Holders("y"));
        Assert.Empty(d.Waiters("z"));
        Assert.Equal(LockOutcome.Cancelled, Assert.Single(d.CompletedWaits(a)).Result.Status);
        Assert.Equal(LockOutcome.UnknownSession, d.Close(a).Status);
    }

    [Fact]
    public void Wait_times_out_at_its_deadline_and_unblocks_those_behind()
    {
        var d = new LockTableDriver();
        var (reader, writer, reader2) = (d.Open(100_000), d.Open(100_000), d.Open(100_000));
        d.Acquire(reader, "l", LockMode.Shared);
        d.Acquire(writer, "l", LockMode.Exclusive, waitMs: 300);
        d.Acquire(reader2, "l", LockMode.Shared);
        Assert.Equal(300, d.Table.NextDeadlineMs);

        d.Expire(299);
        Assert.Equal([writer, reader2], d.Waiters("l"));

        d.Expire(300);
        var timedOut = Assert.Single(d.CompletedWaits(writer));
        Assert.Equal(LockOutcome.Timeout, timedOut.Result.Status);
        Assert.Equal([reader, reader2], d.Holders("l"));
    }

    [Fact]
    public void Table_clock_never_goes_back_when_a_new_leader_lags()
    {
        var d = new LockTableDriver();
        var a = d.Open(ttlMs: 1000);
        d.Expire(900);

        d.NowMs = 100;
        d.KeepAlive(a);

        Assert.Equal(900, d.Table.NowMs);
        Assert.True(d.Table.TryGetSessionDeadline(a, out var deadline));
        Assert.Equal(1900, deadline);
    }
}
