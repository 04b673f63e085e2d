using Sinkron.Nodes.Raft;
using Sinkron.Nodes.Raft.Host;
using Sinkron.Wire.Framing;
using Sinkron.Wire.Messages;
using Sinkron.Wire.Messages.Locks;
using Sinkron.Wire.Server;

namespace Sinkron.Nodes.Locks;

/// <summary>Client requests, inside a Raft pass: only the leader proposes; reads go through ReadIndex.</summary>
internal sealed partial class LockService
{
    private const uint DefaultTtlMs = 10_000;

    /// <summary>
    /// A client request decoded on its connection's thread, for the Raft thread to act on. Text is the lock name,
    /// or the prefix of a list; Lock (without its name bytes) or Session holds the rest, by the header's type.
    /// </summary>
    private readonly record struct ClientRequest(
        ServerConnection Connection, FrameHeader Header, string Text, LockRequest Lock = default, LockSessionRequest Session = default);

    /// <summary>
    /// Queues the request and asks the Raft thread to run the queue. The queue and the one delegate made at start
    /// replace a closure per request; a run that finds the queue already emptied by an earlier one does nothing.
    /// </summary>
    private void Post(RaftHost host, in ClientRequest request)
    {
        _requests.Enqueue(request);
        host.Enqueue(RaftInput.Run(_runRequests));
    }

    private void RunRequests(RaftNode raft)
    {
        while (_requests.TryDequeue(out var request))
        {
            switch (request.Header.Type)
            {
                case MessageType.LockAcquire or MessageType.LockRelease:
                    OnLockRequest(raft, request);
                    break;
                case MessageType.LockList:
                    OnList(raft, request.Connection, request.Header, request.Text);
                    break;
                default:
                    OnSessionRequest(raft, request);
                    break;
            }
        }
    }

    private void OnSessionRequest(RaftNode raft, in ClientRequest request)
    {
        var session = request.Session;
        var command = request.Header.Type switch
        {
            MessageType.LockOpenSession => LockCommand.OpenSession(NowMs(), session.ClientId, session.TtlMs == 0 ? DefaultTtlMs : session.TtlMs),
            MessageType.LockKeepAlive => LockCommand.KeepAlive(NowMs(), session.Session),
            _ => LockCommand.CloseSession(NowMs(), session.Session),
        };
        Propose(raft, new Pending(request.Connection, request.Header, ""), command);
    }

    private void OnLockRequest(RaftNode raft, in ClientRequest request)
    {
        var (call, name) = (request.Lock, request.Text);
        var command = request.Header.Type == MessageType.LockAcquire
            ? LockCommand.Acquire(NowMs(), call.Session, call.Seq, call.AckedBelow, name, (LockMode)call.Mode, call.WaitMs)
            : LockCommand.Release(NowMs(), call.Session, call.Seq, call.AckedBelow, name);
        Propose(raft, new Pending(request.Connection, request.Header, name), command);
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
