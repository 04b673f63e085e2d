using Sinkron.Wire.Messages.Locks;

namespace Sinkron.Nodes.Locks;

internal sealed partial class LockTable
{
    private LockResult Acquire(ulong index, in LockCommand command, List<LockEvent> events)
    {
        if (!sessions.TryGetValue(command.Session, out var session))
        {
            return LockResult.Of(LockOutcome.UnknownSession);
        }

        if (TryReplay(session, command, out var replayed))
        {
            return replayed;
        }

        var result = AcquireOnce(index, session, command);
        session.Cache(command.Seq, result);
        return result;
    }

    private LockResult Release(ulong index, in LockCommand command, List<LockEvent> events)
    {
        if (!sessions.TryGetValue(command.Session, out var session))
        {
            return LockResult.Of(LockOutcome.UnknownSession);
        }

        if (TryReplay(session, command, out var replayed))
        {
            return replayed;
        }

        var result = ReleaseOnce(index, session, command.Name, events);
        session.Cache(command.Seq, result);
        return result;
    }

    /// <summary>
    /// Exactly-once with many requests in flight (Raft thesis §6.3): each session caches results by seq, and each
    /// command says which seqs the client no longer needs. Seqs may arrive in any order. A cached seq returns its
    /// result (updated if the request was queued and has completed since) without applying again; a seq below the
    /// watermark is Stale, because its result was discarded; any other seq is new and gets applied.
    /// </summary>
    private static bool TryReplay(SessionState session, in LockCommand command, out LockResult result)
    {
        session.Acknowledge(command.AckedBelow);
        if (command.Seq < session.StaleBelow)
        {
            result = LockResult.Of(LockOutcome.Stale);
            return true;
        }

        return session.Results.TryGet(command.Seq, out result);
    }

    private LockResult AcquireOnce(ulong index, SessionState session, in LockCommand command)
    {
        if (!locks.TryGetValue(command.Name, out var lockState))
        {
            lockState = new LockState(command.Name);
            locks.Add(command.Name, lockState);
        }

        var held = lockState.IndexOfHolder(session.Id);
        if (held >= 0)
        {
            // Re-entrant: the existing grant (and token) stands; exclusive covers a shared request. Not counted,
            // so one release frees it.
            var holder = lockState.Holders[held];
            return holder.Mode == LockMode.Exclusive || command.Mode == LockMode.Shared
                ? LockResult.Granted(holder.Token)
                : LockResult.Of(LockOutcome.UpgradeNotSupported);
        }

        if (session.Waits.ContainsKey(command.Name))
        {
            return LockResult.Of(LockOutcome.AlreadyWaiting);
        }

        // FIFO with writer preference: anyone queued goes first, so a shared request never overtakes a waiting
        // exclusive one, and the grant pass releases queued shared requests together once the writer is done.
        if (lockState.Queue.Count == 0 && lockState.CanGrant(command.Mode))
        {
            Grant(lockState, session, command.Mode, index);
            return LockResult.Granted(index);
        }

        if (command.WaitTimeoutMs == 0)
        {
            return LockResult.Of(LockOutcome.Busy);
        }

        if (FindCycle(session.Id, lockState, command.Mode, lockState.Queue.Count) is { } cycle)
        {
            return LockResult.DeadlockOn(cycle);
        }

        var deadline = command.WaitTimeoutMs == LockCommand.WaitForever ? long.MaxValue : DeadlineAfter(NowMs, command.WaitTimeoutMs);
        var waiter = new Waiter(index, session.Id, command.Seq, command.Mode, deadline, lockState);
        lockState.Queue.Add(waiter);
        session.Waits.Add(command.Name, waiter);
        waitsById.Add(waiter.Id, waiter);
        if (deadline != long.MaxValue)
        {
            waitDeadlines.Add((deadline, waiter.Id));
        }

        return LockResult.Of(LockOutcome.Queued);
    }

    private LockResult ReleaseOnce(ulong index, SessionState session, string name, List<LockEvent> events)
    {
        if (!locks.TryGetValue(name, out var lockState))
        {
            return LockResult.Of(LockOutcome.NotHeld);
        }

        if (session.Waits.Remove(name, out var waiter))
        {
            // Giving up a wait: the queued request is answered Cancelled; those behind it may now be grantable.
            var cancelled = LockResult.Of(LockOutcome.Cancelled);
            lockState.Queue.Remove(waiter);
            ForgetWait(waiter);
            session.Complete(waiter.Seq, cancelled);
            events.Add(new LockEvent(LockEventKind.WaitCompleted, session.Id, waiter.Seq, name, cancelled));
            touched.Add(name);
            GrantTouched(index, events);
            return cancelled;
        }

        var held = lockState.IndexOfHolder(session.Id);
        if (held < 0)
        {
            return LockResult.Of(LockOutcome.NotHeld);
        }

        lockState.Holders.RemoveAt(held);
        session.Held.Remove(name);
        touched.Add(name);
        GrantTouched(index, events);
        return LockResult.Of(LockOutcome.Released);
    }

    /// <summary>Grants from the head of the queue while the head fits beside the holders. Token = this log index.</summary>
    private void GrantFromQueue(ulong index, LockState lockState, List<LockEvent> events)
    {
        while (lockState.Queue.Count > 0 && lockState.CanGrant(lockState.Queue[0].Mode))
        {
            var waiter = lockState.Queue[0];
            lockState.Queue.RemoveAt(0);
            ForgetWait(waiter);
            var session = sessions[waiter.Session];
            session.Waits.Remove(lockState.Name);
            Grant(lockState, session, waiter.Mode, index);
            var granted = LockResult.Granted(index);
            session.Complete(waiter.Seq, granted);
            events.Add(new LockEvent(LockEventKind.WaitCompleted, session.Id, waiter.Seq, lockState.Name, granted));
        }
    }

    private static void Grant(LockState lockState, SessionState session, LockMode mode, ulong token)
    {
        lockState.Holders.Add(new Holder(session.Id, mode, token));
        session.Held.Add(lockState.Name);
    }
}
