using Sinkron.Wire.Messages.Locks;

namespace Sinkron.Nodes.Locks;

internal sealed partial class LockTable
{
    /// <summary>
    /// Moves the table clock to <paramref name="nowMs"/> and expires everything due by then: first every session
    /// whose lease ended (deadline ≤ now), then every wait whose timeout passed, and only then grants to the waiters
    /// behind them. That order is what guarantees a lock is never granted to a session whose lease had expired.
    /// </summary>
    private void AdvanceClock(ulong index, long nowMs, List<LockEvent> events)
    {
        NowMs = Math.Max(NowMs, nowMs);

        // Earliest first, through Min: enumerating a SortedSet allocates its stack, and this runs on every command.
        // Each due entry leaves the set before it is handled, so the loop always moves on.
        while (sessionDeadlines.Count > 0 && sessionDeadlines.Min.DeadlineMs <= NowMs)
        {
            var due = sessionDeadlines.Min;
            sessionDeadlines.Remove(due);
            var session = sessions[due.Session];
            EndSession(session, LockResult.Of(LockOutcome.SessionExpired), events);
            events.Add(new LockEvent(LockEventKind.SessionExpired, session.Id, 0, "", LockResult.Of(LockOutcome.SessionExpired)));
        }

        while (waitDeadlines.Count > 0 && waitDeadlines.Min.DeadlineMs <= NowMs)
        {
            var due = waitDeadlines.Min;
            waitDeadlines.Remove(due);
            TimeOut(waitsById[due.WaitId], events);
        }

        GrantTouched(index, events);
    }

    private void TimeOut(Waiter waiter, List<LockEvent> events)
    {
        var session = sessions[waiter.Session];
        var timeout = LockResult.Of(LockOutcome.Timeout);
        waiter.Lock.Queue.Remove(waiter);
        session.Waits.Remove(waiter.Lock.Name);
        ForgetWait(waiter);
        session.Complete(waiter.Seq, timeout);
        events.Add(new LockEvent(LockEventKind.WaitCompleted, waiter.Session, waiter.Seq, waiter.Lock.Name, timeout));
        touched.Add(waiter.Lock.Name);
    }
}
