using Sinkron.Wire.Messages.Locks;

namespace Sinkron.Nodes.Locks;

internal sealed partial class LockTable
{
    private LockResult OpenSession(ulong index, in LockCommand command)
    {
        if (command.ClientId != 0 && sessionsByClient.TryGetValue(command.ClientId, out var existing))
        {
            // A retried open: renew and return the session the first attempt made.
            Renew(sessions[existing]);
            return LockResult.Opened(existing);
        }

        var session = new SessionState(index, command.ClientId, command.TtlMs, DeadlineAfter(NowMs, command.TtlMs));
        sessions.Add(index, session);
        sessionDeadlines.Add((session.DeadlineMs, index));
        if (command.ClientId != 0)
        {
            sessionsByClient.Add(command.ClientId, index);
        }

        return LockResult.Opened(index);
    }

    private LockResult KeepAlive(in LockCommand command)
    {
        if (!sessions.TryGetValue(command.Session, out var session))
        {
            return LockResult.Of(LockOutcome.UnknownSession);
        }

        Renew(session);
        return new LockResult(LockOutcome.KeptAlive, (ulong)session.DeadlineMs);
    }

    private LockResult CloseSession(ulong index, in LockCommand command, List<LockEvent> events)
    {
        if (!sessions.TryGetValue(command.Session, out var session))
        {
            return LockResult.Of(LockOutcome.UnknownSession);
        }

        EndSession(session, LockResult.Of(LockOutcome.Cancelled), events);
        GrantTouched(index, events);
        return LockResult.Of(LockOutcome.SessionClosed);
    }

    private void Renew(SessionState session)
    {
        sessionDeadlines.Remove((session.DeadlineMs, session.Id));
        session.DeadlineMs = DeadlineAfter(NowMs, session.TtlMs);
        sessionDeadlines.Add((session.DeadlineMs, session.Id));
    }

    /// <summary>
    /// Removes a session: its waits complete with <paramref name="waitOutcome"/>, its locks are released. Grants to
    /// the waiters behind them are left to <see cref="GrantTouched"/>, so that when several sessions end at once none
    /// of them is granted anything first.
    /// </summary>
    private void EndSession(SessionState session, LockResult waitOutcome, List<LockEvent> events)
    {
        foreach (var waiter in session.Waits.Values)
        {
            waiter.Lock.Queue.Remove(waiter);
            ForgetWait(waiter);
            events.Add(new LockEvent(LockEventKind.WaitCompleted, session.Id, waiter.Seq, waiter.Lock.Name, waitOutcome));
            touched.Add(waiter.Lock.Name);
        }

        foreach (var name in session.Held)
        {
            var lockState = locks[name];
            lockState.Holders.RemoveAt(lockState.IndexOfHolder(session.Id));
            touched.Add(name);
        }

        sessions.Remove(session.Id);
        sessionDeadlines.Remove((session.DeadlineMs, session.Id));
        if (session.ClientId != 0)
        {
            sessionsByClient.Remove(session.ClientId);
        }
    }

    private void ForgetWait(Waiter waiter)
    {
        waitsById.Remove(waiter.Id);
        if (waiter.DeadlineMs != long.MaxValue)
        {
            waitDeadlines.Remove((waiter.DeadlineMs, waiter.Id));
        }
    }
}
