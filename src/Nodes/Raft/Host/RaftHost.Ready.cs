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
            _app.Restore(ready.SnapshotData);
            RaftHostLog.SnapshotInstalled(_logger, installed.Index, installed.Term, ready.SnapshotData.Length);
        }

        var applied = 0ul;
        foreach (var entry in ready.CommittedEntries.Span)
        {
            if (entry.Kind == EntryKind.Command)
            {
                _app.Apply(entry);
            }

            applied = entry.Index;
        }

        foreach (var read in ready.ReadStates)
        {
            _pendingReads.Add(read);
        }

        _raft.Advance();

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
