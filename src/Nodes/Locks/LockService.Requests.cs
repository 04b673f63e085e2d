using Sinkron.Nodes.Raft;
using Sinkron.Wire.Framing;
using Sinkron.Wire.Messages;
using Sinkron.Wire.Messages.Locks;
using Sinkron.Wire.Server;

namespace Sinkron.Nodes.Locks;

/// <summary>Client requests, inside a Raft pass: only the leader proposes; reads go through ReadIndex.</summary>
internal sealed partial class LockService
{
    private const uint DefaultTtlMs = 10_000;

    private void OnSessionRequest(RaftNode raft, ServerConnection connection, FrameHeader header, LockSessionRequest request)
    {
        var command = header.Type switch
        {
            MessageType.LockOpenSession => LockCommand.OpenSession(NowMs(), request.ClientId, request.TtlMs == 0 ? DefaultTtlMs : request.TtlMs),
            MessageType.LockKeepAlive => LockCommand.KeepAlive(NowMs(), request.Session),
            _ => LockCommand.CloseSession(NowMs(), request.Session),
        };
        Propose(raft, new Pending(connection, header, ""), command);
    }

    private void OnLockRequest(RaftNode raft, ServerConnection connection, FrameHeader header, ulong session, ulong seq, ulong acked,
        string name, LockMode mode, long waitMs)
    {
        var command = header.Type == MessageType.LockAcquire
            ? LockCommand.Acquire(NowMs(), session, seq, acked, name, mode, waitMs)
            : LockCommand.Release(NowMs(), session, seq, acked, name);
        Propose(raft, new Pending(connection, header, name), command);
    }

    private void OnList(RaftNode raft, ServerConnection connection, FrameHeader header, string prefix)
    {
        var pending = new Pending(connection, header, prefix);
        var context = ++_readSeq;
        if (!raft.ReadIndex(context))
        {
            NotLeader(raft, pending);
            return;
        }

        _reads[context] = (pending, prefix);
    }

    public void OnReadReady(ulong context)
    {
        if (!_reads.Remove(context, out var read))
        {
            return;
        }

        var entries = new List<LockEntry>();
        foreach (var info in _table.ListLocks(read.Prefix))
        {
            var holders = new List<LockHolder>(info.Holders.Count);
            foreach (var holder in info.Holders)
            {
                holders.Add(new LockHolder(holder.Session, (byte)holder.Mode, holder.Token));
            }

            var waiters = new List<LockWaiter>(info.Waiters.Count);
            foreach (var waiter in info.Waiters)
            {
                waiters.Add(new LockWaiter(waiter.Session, (byte)waiter.Mode));
            }

            entries.Add(new LockEntry(info.Name, holders, waiters));
        }

        read.Request.Connection.Outbox.Respond(read.Request.Header, new LockListResponse(entries));
        _dirty.Add(read.Request.Connection);
    }

    private void Propose(RaftNode raft, in Pending pending, in LockCommand command)
    {
        if (raft.Role != RaftRole.Leader || !raft.Propose(LockCommandCodec.ToArray(command), out var index))
        {
            NotLeader(raft, pending);
            return;
        }

        _proposals[index] = pending;
    }

    private void NotLeader(RaftNode raft, in Pending pending)
    {
        if (raft.LeaderId == 0 || raft.LeaderId == raft.Id)
        {
            RespondError(pending, ErrorCode.Unavailable, "no lock leader is elected right now; retry shortly");
            return;
        }

        RespondError(pending, ErrorCode.NotLeader, $"{_cluster.NameOf(raft.LeaderId)} is the leader", _cluster.AddressOf(raft.LeaderId));
    }
}
