using Sinkron.Nodes.Raft;

using Sinkron.Wire.Messages.Locks;

namespace Sinkron.Nodes.Locks;

/// <summary>The replicated state machine side: apply, answer, audit, expire, snapshot.</summary>
internal sealed partial class LockService
{
    public void Apply(in LogEntry entry)
    {
        if (!LockCommandCodec.TryRead(entry.Data, out var command, out var error))
        {
            // Every replica skips the same undecodable entry, so they stay identical.
            LockLog.BadEntry(logger, entry.Index, error ?? "undecodable");
            return;
        }

        _events.Clear();
        var result = _table.Apply(entry.Index, command, _events);
        if (entry.Index == _expireIndex)
        {
            _expireIndex = 0;
        }

        if (_proposals.Remove(entry.Index, out var pending))
        {
            if (result.Status == LockOutcome.Queued)
            {
                _waiters[(command.Session, command.Seq)] = pending;
            }
            else
            {
                Respond(pending, LockReplies.From(result, command.Name));
                Audit(pending, command, result);
            }
        }

        foreach (var lockEvent in _events)
        {
            OnEvent(lockEvent);
        }
    }

    private void OnEvent(in LockEvent lockEvent)
    {
        if (lockEvent.Kind == LockEventKind.SessionExpired)
        {
            audit.Write("leader", "lock.session.expire", lockEvent.Session.ToString(System.Globalization.CultureInfo.InvariantCulture), "expired; locks released");
            return;
        }

        if (_waiters.Remove((lockEvent.Session, lockEvent.Seq), out var waiter))
        {
            Respond(waiter, LockReplies.From(lockEvent.Result, lockEvent.Name));
            audit.Write(waiter.Connection.Identity.Subject, "lock.acquire", lockEvent.Name, lockEvent.Result.ToString());
        }
    }

    private void Audit(in Pending pending, in LockCommand command, in LockResult result)
    {
        if (command.Kind is LockCommandKind.Acquire or LockCommandKind.Release)
        {
            var operation = command.Kind == LockCommandKind.Acquire ? "lock.acquire" : "lock.release";
            audit.Write(pending.Connection.Identity.Subject, operation, command.Name, result.ToString());
        }
    }

    public void OnTick(RaftNode raft)
    {
        if (raft.Role != RaftRole.Leader)
        {
            FailAll(raft);
            return;
        }

        // Lease expiry and wait timeouts are decided here and committed through the log, so every replica agrees.
        if (_expireIndex == 0 && _table.NextDeadlineMs is { } deadline && deadline <= NowMs()
            && raft.Propose(LockCommandCodec.ToArray(LockCommand.Expire(NowMs())), out var index))
        {
            _expireIndex = index;
        }
    }

    /// <summary>Leadership was lost: nothing here will answer these; clients retry on the new leader with the same sequence numbers.</summary>
    private void FailAll(RaftNode raft)
    {
        _expireIndex = 0;
        if (_proposals.Count == 0 && _waiters.Count == 0)
        {
            return;
        }

        foreach (var pending in _proposals.Values)
        {
            NotLeader(raft, pending);
        }

        foreach (var pending in _waiters.Values)
        {
            NotLeader(raft, pending);
        }

        _proposals.Clear();
        _waiters.Clear();
    }

    public byte[] TakeSnapshot() => _table.ToSnapshot();

    public void Restore(ReadOnlyMemory<byte> snapshot) => _table = LockTable.Restore(snapshot);

}
