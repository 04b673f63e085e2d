using System.Diagnostics;

namespace Sinkron.Nodes.Raft.Host;

/// <summary>One Ready, in the order the core requires: persist, send, apply, advance.</summary>
internal sealed partial class RaftHost
{
    private void HandleReady(Ready ready)
    {
        if (ready.Snapshot is { } snapshot)
        {
            _log.SaveSnapshot(snapshot, ready.SnapshotData.Span);
        }

        if (ready.TruncateFrom != 0 && ready.TruncateFrom > _log.Snapshot.Index)
        {
            _log.TruncateSuffix(ready.TruncateFrom);
        }

        if (ready.HasHardState || !ready.Entries.IsEmpty)
        {
            _log.Persist(ready.HasHardState ? ready.HardState : null, ready.Entries.Span);
            if (_raft.Role == RaftRole.Leader && !ready.Entries.IsEmpty)
            {
                CommitPath.Appended(ready.Entries.Span[^1].Index, Stopwatch.GetTimestamp());
            }
        }

        // A changed term or vote must be on disk before any message can reveal it; this only
        // happens around elections, so waiting for one fsync here costs nothing in steady state.
        // The core hears of it as an input, once this Ready is advanced.
        if (ready.MustSyncBeforeSend && _log.Sync() is { } synced)
        {
            _inputs.Enqueue(RaftInput.Durable(synced.Index, synced.Term));
        }

        foreach (var message in ready.Messages)
        {
            if (_peers.TryGetValue(message.To, out var peer))
            {
                peer.Send(message);
            }
        }

        if (ready.Snapshot is { } installed)
        {
            ApplyCommitted();
            _app.Restore(ready.SnapshotData);
            RaftHostLog.SnapshotInstalled(_logger, installed.Index, installed.Term, ready.SnapshotData.Length);
        }

        if (!ready.CommittedEntries.IsEmpty)
        {
            _toApply.Add(ready.CommittedEntries);
        }

        foreach (var read in ready.ReadStates)
        {
            _pendingReads.Add(read);
        }

        _raft.Advance();

        // A leader applies now: its answers are what the clients wait for. Anyone else applies at the
        // end of the pass (ApplyDeferred), once its fsync and acknowledgement have left: those are on
        // the leader's commit path, the apply is not (the first acknowledgement arrived ~130 µs sooner
        // under the 3-node lock load).
        if (_raft.Role == RaftRole.Leader)
        {
            ApplyCommitted();
        }
    }

    /// <summary>Committed entries handed out by Readies of this pass and not yet applied, in order.</summary>
    private readonly List<ReadOnlyMemory<LogEntry>> _toApply = [];

    /// <summary>
    /// Applies what a follower left for the end of the pass, then takes a snapshot if one is due (the
    /// pass skipped it meanwhile: compacting the log would have moved the entries still to apply), and
    /// serves the reads whose index is now applied.
    /// </summary>
    private void ApplyDeferred()
    {
        if (_toApply.Count == 0)
        {
            ServeReads();
            return;
        }

        ApplyCommitted();
        MaybeSnapshot();
    }

    private void ApplyCommitted()
    {
        var applied = 0ul;
        foreach (var batch in _toApply)
        {
            foreach (var entry in batch.Span)
            {
                if (entry.Kind == EntryKind.Command)
                {
                    _app.Apply(entry);
                }

                applied = entry.Index;
            }
        }

        _toApply.Clear();
        if (applied != 0)
        {
            _raft.Applied(applied);
        }

        ServeReads();
    }

    private readonly List<ReadState> _pendingReads = [];

    /// <summary>
    /// A follower writes and fsyncs what the log has queued and tells the core; false when nothing
    /// was queued, and always for a leader, whose Raft thread syncs outside the gate.
    /// </summary>
    private bool SyncLog()
    {
        if (_raft.Role == RaftRole.Leader || _log.Sync() is not { } durable)
        {
            return false;
        }

        _raft.Persisted(durable.Index, durable.Term);
        return true;
    }

    private void ServeReads()
    {
        for (var i = _pendingReads.Count - 1; i >= 0; i--)
        {
            if (_pendingReads[i].Index <= _raft.AppliedIndex)
            {
                _app.OnReadReady(_pendingReads[i].RequestContext);
                _pendingReads.RemoveAt(i);
            }
        }
    }

    private void MaybeSnapshot()
    {
        if (_toApply.Count > 0)
        {
            return;
        }

        var applied = _raft.AppliedIndex;
        if (applied < _raft.Snapshot.Index + (ulong)_snapshotEvery)
        {
            return;
        }

        var metadata = new SnapshotMetadata(applied, _raft.TermAt(applied));
        var data = _app.TakeSnapshot();
        _log.SaveSnapshot(metadata, data);
        _raft.CompactLog(metadata, data);
        RaftHostLog.SnapshotTaken(_logger, metadata.Index, metadata.Term, data.Length);
    }
}
