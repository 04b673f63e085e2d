namespace Sinkron.Nodes.Raft;

// Snapshots: the leader streams its latest snapshot in chunks, one outstanding at a time;
// the follower assembles it and installs it through Ready.
internal sealed partial class RaftNode
{
    private SnapshotMetadata _receiving;
    private byte[]? _receiveBuffer;
    private int _received;

    private void StartSnapshot(Progress pr)
    {
        pr.BecomeSnapshot(_log.Snapshot.Index);
        SendSnapshotChunk(pr);
    }

    private void SendSnapshotChunk(Progress pr)
    {
        if (pr.PendingSnapshot != _log.Snapshot.Index)
        {
            // Compacted again since the transfer began: the old bytes are gone, send the new snapshot.
            pr.BecomeSnapshot(_log.Snapshot.Index);
        }

        var total = (ulong)_snapshotData.Length;
        var offset = Math.Min(pr.SnapshotOffset, total);
        var length = (int)Math.Min((ulong)_config.MaxSnapshotChunk, total - offset);
        Send(new RaftMessage
        {
            Type = RaftMessageType.Snapshot,
            To = pr.Id,
            Index = _log.Snapshot.Index,
            LogTerm = _log.Snapshot.Term,
            Offset = offset,
            Data = _snapshotData.Slice((int)offset, length),
            Flags = offset + (ulong)length == total ? RaftMessageFlags.Done : RaftMessageFlags.None,
        });
    }

    private void HandleSnapshotResponse(Progress pr, in RaftMessage m)
    {
        if (pr.State != ProgressState.Snapshot || m.Index != pr.PendingSnapshot)
        {
            return;
        }

        if (!m.Reject && m.Offset <= pr.SnapshotOffset)
        {
            return; // duplicate or reordered answer
        }

        pr.SnapshotOffset = m.Offset;
        if (m.Offset < (ulong)_snapshotData.Length)
        {
            SendSnapshotChunk(pr);
        }

        // Otherwise the follower has it all; its AppendResponse after persisting it ends the transfer.
    }

    private void HandleSnapshotChunk(in RaftMessage m)
    {
        if (m.Index <= CommitIndex)
        {
            // Nothing in it we lack: say how far we are, so the leader resumes appends.
            _receiveBuffer = null;
            SendAck(force: true);
            return;
        }

        var meta = new SnapshotMetadata(m.Index, m.LogTerm);
        if (m.Offset == 0)
        {
            _receiving = meta;
            _received = 0;
            _receiveBuffer ??= new byte[Math.Max(m.Data.Length, 1024)];
        }
        else if (_receiveBuffer is null || meta != _receiving || m.Offset != (ulong)_received)
        {
            var resumeAt = _receiveBuffer is not null && meta == _receiving ? (ulong)_received : 0;
            Send(new RaftMessage { Type = RaftMessageType.SnapshotResponse, To = m.From, Index = m.Index, Offset = resumeAt, Flags = RaftMessageFlags.Reject });
            return;
        }

        if (_received + m.Data.Length > _receiveBuffer.Length)
        {
            Array.Resize(ref _receiveBuffer, Math.Max(_receiveBuffer.Length * 2, _received + m.Data.Length));
        }

        m.Data.Span.CopyTo(_receiveBuffer.AsSpan(_received));
        _received += m.Data.Length;
        Send(new RaftMessage { Type = RaftMessageType.SnapshotResponse, To = m.From, Index = m.Index, Offset = (ulong)_received });
        if (m.Done)
        {
            var data = _receiveBuffer.AsSpan(0, _received).ToArray();
            _receiveBuffer = null;
            InstallSnapshot(meta, data);
        }
    }

    private void InstallSnapshot(SnapshotMetadata meta, ReadOnlyMemory<byte> data)
    {
        if (_log.Matches(meta.Index, meta.Term))
        {
            // Our log already holds the snapshot's last entry, so it holds everything before it too.
            CommitIndex = meta.Index;
            _verifiedMatch = Math.Max(_verifiedMatch, meta.Index);
            SendAck(force: true);
            return;
        }

        _log.Reset(meta);
        _snapshotData = data;
        _snapshotToInstall = true;
        CommitIndex = meta.Index;
        _appliedTo = meta.Index;
        _applied = meta.Index;
        _verifiedMatch = meta.Index;
        _truncateFrom = 0;
        _unstableFrom = meta.Index + 1;

        // Nothing is durable until storage has the snapshot; Persisted(meta) then acknowledges it.
        _persisted = 0;
    }
}
