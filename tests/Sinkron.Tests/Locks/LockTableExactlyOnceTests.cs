using Sinkron.Nodes.Locks;

using Sinkron.Wire.Messages.Locks;

namespace Sinkron.Tests.Locks;

public class LockTableExactlyOnceTests
{
    [Fact]
    public void Retry_with_the_same_seq_returns_the_cached_result_without_reapplying()
    {
        var d = new LockTableDriver();
        var a = d.Open();
        var acquire = LockCommand.Acquire(0, a, seq: 1, ackedBelow: 1, "l", LockMode.Exclusive, 0);
        var first = d.Apply(acquire);
        var release = LockCommand.Release(0, a, seq: 2, ackedBelow: 2, "l");
        Assert.Equal(LockOutcome.Released, d.Apply(release).Status);

        Assert.Equal(LockOutcome.Released, d.Apply(release).Status);
        Assert.Equal(0, d.Table.LockCount);
        Assert.Equal(LockOutcome.Stale, d.Apply(acquire).Status);
        Assert.Equal(0, d.Table.LockCount);
        Assert.Equal(LockOutcome.Granted, first.Status);
    }

    [Fact]
    public void Retry_of_a_queued_acquire_returns_its_final_outcome()
    {
        var d = new LockTableDriver();
        var (a, b) = (d.Open(), d.Open());
        d.Acquire(a, "l");
        var waiting = LockCommand.Acquire(0, b, seq: 1, ackedBelow: 1, "l", LockMode.Exclusive, LockCommand.WaitForever);
        Assert.Equal(LockOutcome.Queued, d.Apply(waiting).Status);
        Assert.Equal(LockOutcome.Queued, d.Apply(waiting).Status);
        Assert.Single(d.Waiters("l"));

        d.Release(a, "l");

        var retried = d.Apply(waiting);
        Assert.Equal(LockOutcome.Granted, retried.Status);
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
        var closing = LockCommand.Acquire(0, b, seq: 2, ackedBelow: 2, "x", LockMode.Exclusive, LockCommand.WaitForever);

        var first = d.Apply(closing);
        var retried = d.Apply(closing);

        Assert.Equal(LockOutcome.Deadlock, first.Status);
        Assert.Equal(first, retried);
    }

    [Fact]
    public void Hundred_pipelined_requests_arriving_out_of_order_are_each_applied_once()
    {
        // 50 acquire/release pairs on distinct locks, all in flight at once (nothing acknowledged), delivered
        // shuffled, then retried twice more in other orders, as after two leader failovers.
        const int Requests = 100;
        var d = new LockTableDriver();
        var a = d.Open();
        var commands = new LockCommand[Requests];
        for (var i = 0; i < Requests; i += 2)
        {
            var name = $"lock/{i / 2}";
            commands[i] = LockCommand.Acquire(0, a, (ulong)i + 1, 1, name, LockMode.Exclusive, 0);
            commands[i + 1] = LockCommand.Release(0, a, (ulong)i + 2, 1, name);
        }

        var random = new Random(20240611);
        var order = Shuffled(Requests, random);
        var firstResults = new LockResult[Requests];
        var appliedAt = new ulong[Requests];
        foreach (var i in order)
        {
            firstResults[i] = d.Apply(commands[i]);
            appliedAt[i] = d.Index;
        }

        var stateAfterFirstPass = d.Table.ListLocks();
        for (var pass = 0; pass < 2; pass++)
        {
            foreach (var i in Shuffled(Requests, random))
            {
                Assert.Equal(firstResults[i], d.Apply(commands[i]));
            }
        }

        Assert.Equal(Names(stateAfterFirstPass), Names(d.Table.ListLocks()));
        for (var pair = 0; pair < Requests / 2; pair++)
        {
            var (acquire, release) = (2 * pair, (2 * pair) + 1);
            Assert.Equal(LockResult.Granted(appliedAt[acquire]), firstResults[acquire]);
            var releasedFirst = appliedAt[release] < appliedAt[acquire];
            Assert.Equal(releasedFirst ? LockOutcome.NotHeld : LockOutcome.Released, firstResults[release].Status);
            IReadOnlyList<ulong> holders = releasedFirst ? [a] : [];
            Assert.Equal(holders, d.Holders($"lock/{pair}"));
        }

        Assert.True(d.Table.TryGetResultWindow(a, out var cached, out _));
        Assert.Equal(Requests, cached);
    }

    [Fact]
    public void Retries_of_several_in_flight_seqs_return_their_own_cached_results()
    {
        var d = new LockTableDriver();
        var (a, other) = (d.Open(), d.Open());
        d.Acquire(other, "busy");
        d.Acquire(other, "later");
        LockCommand[] inFlight =
        [
            LockCommand.Acquire(0, a, 1, 1, "free", LockMode.Shared, 0),
            LockCommand.Acquire(0, a, 2, 1, "busy", LockMode.Exclusive, 0),
            LockCommand.Acquire(0, a, 3, 1, "later", LockMode.Exclusive, LockCommand.WaitForever),
            LockCommand.Release(0, a, 4, 1, "never-held"),
            LockCommand.Acquire(0, a, 5, 1, "free", LockMode.Exclusive, 0),
        ];
        var results = new LockResult[inFlight.Length];
        int[] deliveryOrder = [4, 2, 0, 3, 1];
        foreach (var i in deliveryOrder)
        {
            results[i] = d.Apply(inFlight[i]);
        }

        Assert.Equal(
            [LockOutcome.Granted, LockOutcome.Busy, LockOutcome.Queued, LockOutcome.NotHeld, LockOutcome.Granted],
            Array.ConvertAll(results, r => r.Status));

        d.Release(other, "later");
        var granted = Assert.Single(d.CompletedWaits(a));
        Assert.Equal(3UL, granted.Seq);

        int[] retryOrder = [3, 1, 2, 4, 0, 2];
        foreach (var i in retryOrder)
        {
            Assert.Equal(i == 2 ? granted.Result : results[i], d.Apply(inFlight[i]));
        }

        Assert.Equal([a], d.Holders("free"));
        Assert.Equal([a], d.Holders("later"));
        Assert.Equal([other], d.Holders("busy"));
    }

    [Fact]
    public void A_new_seq_below_the_highest_applied_is_still_applied()
    {
        var d = new LockTableDriver();
        var a = d.Open();

        Assert.Equal(LockOutcome.Granted, d.Apply(LockCommand.Acquire(0, a, 7, 3, "x", LockMode.Exclusive, 0)).Status);
        Assert.Equal(LockOutcome.Granted, d.Apply(LockCommand.Acquire(0, a, 4, 3, "y", LockMode.Exclusive, 0)).Status);
        Assert.Equal(LockOutcome.Granted, d.Apply(LockCommand.Acquire(0, a, 3, 3, "z", LockMode.Exclusive, 0)).Status);

        Assert.Equal(["x", "y", "z"], Names(d.Table.ListLocks()));
    }

    [Fact]
    public void Acked_below_discards_results_and_makes_older_seqs_stale_for_good()
    {
        var d = new LockTableDriver();
        var a = d.Open();
        var sent = new List<LockCommand>();
        var appliedAt = new List<ulong>();
        for (var seq = 1UL; seq <= 10; seq++)
        {
            sent.Add(LockCommand.Acquire(0, a, seq, 1, $"l{seq}", LockMode.Exclusive, 0));
            d.Apply(sent[^1]);
            appliedAt.Add(d.Index);
        }

        Assert.True(d.Table.TryGetResultWindow(a, out var cached, out var staleBelow));
        Assert.Equal((10, 1UL), (cached, staleBelow));

        // The client has answers for 1..5 and 7; 6 is still unanswered, so it acknowledges below 6 only.
        Assert.Equal(LockOutcome.Released, d.Apply(LockCommand.Release(0, a, 11, 6, "l1")).Status);

        Assert.True(d.Table.TryGetResultWindow(a, out cached, out staleBelow));
        Assert.Equal((6, 6UL), (cached, staleBelow));
        Assert.Equal(LockOutcome.Stale, d.Apply(sent[2]).Status);
        Assert.Equal(LockOutcome.Stale, d.Apply(LockCommand.Acquire(0, a, 5, 5, "fresh", LockMode.Exclusive, 0)).Status);
        Assert.Equal(LockResult.Granted(appliedAt[6]), d.Apply(sent[6]));
        Assert.False(d.Table.TryGetLock("fresh", out _));

        // A late duplicate carrying an older acknowledgement does not lower the watermark.
        Assert.Equal(LockOutcome.Stale, d.Apply(LockCommand.Release(0, a, 4, 1, "l4")).Status);
        Assert.Equal([a], d.Holders("l4"));
        Assert.True(d.Table.TryGetResultWindow(a, out _, out staleBelow));
        Assert.Equal(6UL, staleBelow);
    }

    [Fact]
    public void A_queued_acquire_below_the_latest_seq_gets_its_final_outcome_until_acknowledged()
    {
        var d = new LockTableDriver();
        var (a, b) = (d.Open(), d.Open());
        d.Acquire(a, "l");
        d.Acquire(a, "t");
        var waiting = LockCommand.Acquire(0, b, 1, 1, "l", LockMode.Exclusive, LockCommand.WaitForever);
        var timesOut = LockCommand.Acquire(0, b, 2, 1, "t", LockMode.Exclusive, 300);
        Assert.Equal(LockOutcome.Queued, d.Apply(waiting).Status);
        Assert.Equal(LockOutcome.Queued, d.Apply(timesOut).Status);
        Assert.Equal(LockOutcome.Granted, d.Apply(LockCommand.Acquire(0, b, 3, 1, "m", LockMode.Exclusive, 0)).Status);

        d.Release(a, "l");
        d.Expire(300);

        Assert.Equal(LockOutcome.Granted, d.Apply(waiting).Status);
        Assert.Equal(LockOutcome.Timeout, d.Apply(timesOut).Status);
        d.Apply(LockCommand.Release(d.NowMs, b, 4, 3, "m"));
        Assert.Equal(LockOutcome.Stale, d.Apply(waiting).Status);
        Assert.Equal(LockOutcome.Stale, d.Apply(timesOut).Status);
    }

    [Fact]
    public void A_full_window_evicts_its_lowest_seqs_which_then_answer_stale()
    {
        const int Max = SessionState.MaxCachedResults;
        var d = new LockTableDriver();
        var a = d.Open();
        LockCommand Probe(ulong seq) => LockCommand.Release(0, a, seq, 1, $"n{seq}");

        // A client that never acknowledges: seqs 2..Max+1 fill the window, then the late seq 1 arrives.
        for (var seq = 2UL; seq <= Max + 1; seq++)
        {
            d.Apply(Probe(seq));
        }

        Assert.Equal(LockOutcome.NotHeld, d.Apply(Probe(1)).Status);
        Assert.Equal(LockOutcome.Stale, d.Apply(Probe(1)).Status);
        Assert.True(d.Table.TryGetResultWindow(a, out var cached, out var staleBelow));
        Assert.Equal((Max, 2UL), (cached, staleBelow));

        for (var seq = Max + 2UL; seq <= Max + 11; seq++)
        {
            d.Apply(Probe(seq));
        }

        Assert.True(d.Table.TryGetResultWindow(a, out cached, out staleBelow));
        Assert.Equal((Max, 12UL), (cached, staleBelow));
        Assert.Equal(LockOutcome.Stale, d.Apply(Probe(11)).Status);
        Assert.Equal(LockOutcome.NotHeld, d.Apply(Probe(12)).Status);
        Assert.Equal(LockOutcome.NotHeld, d.Apply(Probe(Max + 11)).Status);
        Assert.True(d.Table.TryGetResultWindow(a, out cached, out _));
        Assert.Equal(Max, cached);
    }

    [Fact]
    public void Acknowledging_everything_empties_the_window()
    {
        var d = new LockTableDriver();
        var a = d.Open();
        for (var seq = 1UL; seq <= 1000; seq++)
        {
            d.Apply(LockCommand.Acquire(0, a, seq, 1, "l", LockMode.Shared, 0));
        }

        d.Apply(LockCommand.Release(0, a, 1001, 1001, "l"));

        Assert.True(d.Table.TryGetResultWindow(a, out var cached, out var staleBelow));
        Assert.Equal((1, 1001UL), (cached, staleBelow));
        Assert.Equal(LockOutcome.Released, d.Apply(LockCommand.Release(0, a, 1001, 1001, "l")).Status);
    }

    private static int[] Shuffled(int count, Random random)
    {
        var order = new int[count];
        for (var i = 0; i < count; i++)
        {
            order[i] = i;
        }

        random.Shuffle(order);
        return order;
    }

    private static List<string> Names(IReadOnlyList<LockInfo> locks)
    {
        var names = new List<string>(locks.Count);
        foreach (var info in locks)
        {
            names.Add(info.Name);
        }

        return names;
    }
}
