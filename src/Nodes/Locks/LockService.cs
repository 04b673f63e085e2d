using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sinkron.Nodes.Hosting;
using Sinkron.Nodes.Raft;
using Sinkron.Nodes.Raft.Host;
using Sinkron.Nodes.Raft.Storage;
using Sinkron.Nodes.Security;
using Sinkron.Wire.Framing;
using Sinkron.Wire.Messages;
using Sinkron.Wire.Messages.Locks;
using Sinkron.Wire.Server;
using Sinkron.Wire.Tls;

namespace Sinkron.Nodes.Locks;

/// <summary>
/// The lock role: a <see cref="LockTable"/> replicated by Raft. Connection threads only decode
/// and post; everything else — proposing, applying, answering, expiring — happens on the Raft
/// thread, so the table and the request maps have a single owner and need no locks.
/// </summary>
internal sealed partial class LockService(NodeSettings settings, TlsMaterial tls, AuditLog audit, ILogger<LockService> logger)
    : IHostedService, INodeService, IRaftApplication
{
    private readonly Dictionary<ulong, Pending> _proposals = [];
    private readonly Dictionary<(ulong Session, ulong Seq), Pending> _waiters = [];
    private readonly Dictionary<ulong, (Pending Request, string Prefix)> _reads = [];
    private readonly HashSet<ServerConnection> _dirty = [];
    private readonly ConcurrentQueue<ClientRequest> _requests = new();

    /// <summary>The one delegate every queued request runs through; made in StartAsync, as an initializer cannot name a method.</summary>
    private Action<RaftNode> _runRequests = null!;
    private readonly List<LockEvent> _events = [];
    private LockTable _table = new();
    private ClusterMap _cluster = null!;
    private RaftHost? _host;
    private RaftLoad? _load;
    private DurableLog? _log;
    private ulong _readSeq;
    private ulong _expireIndex;

    /// <summary>A request waiting for its answer: where to send it and who asked.</summary>
    private readonly record struct Pending(ServerConnection Connection, FrameHeader Header, string Name);

    public RaftStatus Raft => _host?.Status ?? default;

    public bool Handles(MessageType type) => type == MessageType.Raft || ((ushort)type is >= 0x0200 and < 0x0300);

    public void OnFrame(ServerConnection connection, in FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        var host = _host;
        if (host is null)
        {
            connection.Outbox.RespondError(header.RequestId, ErrorCode.Unavailable, "the lock node is still starting; retry");
            return;
        }

        switch (header.Type)
        {
            case MessageType.Raft:
                var reader = new SequenceReader<byte>(payload);
                if (!RaftMessageCodec.TryRead(ref reader, out var message) || message.To != _cluster.SelfId)
                {
                    connection.Fail(header.RequestId, ErrorCode.BadPayload, "malformed Raft message");
                    return;
                }

                host.Enqueue(RaftInput.Received(message));
                return;
            case MessageType.LockOpenSession or MessageType.LockKeepAlive or MessageType.LockCloseSession
                when LockSessionRequest.TryRead(payload, out var session):
                Post(host, new ClientRequest(connection, header, "", Session: session));
                return;
            case MessageType.LockAcquire or MessageType.LockRelease when LockRequest.TryRead(payload, out var request)
                && TryName(request.Name, out var name):
                // The name's bytes live in the connection's read buffer: only the decoded string outlives this call.
                Post(host, new ClientRequest(connection, header, name, Lock: request with { Name = default }));
                return;
            case MessageType.LockList when LockListRequest.TryRead(payload, out var list):
                Post(host, new ClientRequest(connection, header, list.Prefix));
                return;
            default:
                connection.Fail(header.RequestId, ErrorCode.BadPayload, $"{header.Type} payload is malformed");
                return;
        }
    }

    private static bool TryName(ReadOnlySequence<byte> utf8, out string name)
    {
        name = "";
        if (utf8.IsEmpty)
        {
            return false;
        }

        try
        {
            name = WireReader.Utf8.GetString(utf8);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    public void OnClosed(ServerConnection connection)
    {
    }

    /// <summary>The frames of a read batch were queued in <see cref="OnFrame"/>: run them now, as one Raft batch.</summary>
    public void OnReadBatchEnd() => _host?.RunPending();

    public void AddStatus(List<KeyValuePair<string, string>> fields)
    {
        var status = Raft;
        fields.Add(new("state", status.Role switch
        {
            RaftRole.Leader => "leader",
            RaftRole.Follower => status.LeaderId == 0 ? "no-leader" : "follower",
            _ => "candidate",
        }));
        fields.Add(new("term", status.Term.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        fields.Add(new("leader", status.LeaderId == 0 ? "-" : _cluster.NameOf(status.LeaderId)));
        fields.Add(new("commit", status.Commit.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        fields.Add(new("applied", status.Applied.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (_log is { } log)
        {
            var wal = log.Stats;
            fields.Add(new("fsyncs", wal.Fsyncs.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            fields.Add(new("wal records", wal.Records.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            fields.Add(new("fsync mean", $"{wal.MeanFsync.TotalMilliseconds:0.00}ms"));
        }

        if (status.Role == RaftRole.Leader && _host is { } host)
        {
            // Where commits wait: this node's fsync, or the first follower's acknowledgement (none on one node).
            var (ownFsync, firstAck, commit) = host.CommitPath.Medians;
            fields.Add(new("commit p50", $"{commit}us"));
            fields.Add(new("own fsync p50", $"{ownFsync}us"));
            fields.Add(new("first ack p50", firstAck == 0 ? "-" : $"{firstAck}us"));
            fields.Add(new("trailing", host.TrailingNames));
        }

        if (_load is { } load)
        {
            fields.Add(new("load committed", load.Committed.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            fields.Add(new("load commit p50", $"{load.Latency.P50}us"));
            fields.Add(new("load commit p99", $"{load.Latency.P99}us"));
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _cluster = ClusterMap.From(settings);
        var raftDirectory = Path.Combine(settings.Data, "raft");
        MembershipFile.CheckOrRecord(raftDirectory, _cluster.Members.Select(m => (m.Id, m.Name)));
        _log = DurableLog.Open(new DurableLogOptions(raftDirectory) { Logger = logger, UnsafeNoFsync = settings.UnsafeNoFsync, MirrorPath = settings.WalMirror });
        if (settings.UnsafeNoFsync)
        {
            LockLog.NoFsync(logger);
        }

        if (settings.WalMirror is { } mirror)
        {
            LockLog.WalMirror(logger, Path.GetFullPath(mirror));
        }

        var recovery = _log.Recovery;
        RaftHostLog.Recovered(logger, recovery.ToString(), recovery.HardState.Term, recovery.HardState.VotedFor, recovery.HardState.Commit);
        var snapshot = _log.LoadLatestSnapshot();
        if (snapshot is { } loaded)
        {
            _table = LockTable.Restore(loaded.Data);
        }

        var tick = TimeSpan.FromMilliseconds(10);
        var raft = new RaftNode(
            new RaftConfig
            {
                Id = _cluster.SelfId,
                Voters = _cluster.Ids,
                Random = new Random(),
                ElectionTicks = Math.Max(2, settings.ElectionTimeoutMs / 10),
                HeartbeatTicks = Math.Max(1, settings.HeartbeatMs / 10),
                MaxEntriesPerAppend = 256,
                MaxInflightAppends = 16,
            },
            new RaftBootState
            {
                HardState = recovery.HardState,
                Snapshot = snapshot?.Metadata ?? default,
                SnapshotData = snapshot?.Data ?? default,
                Entries = recovery.Entries.ToArray(),
            });
        var peers = new Dictionary<ulong, RaftPeer>();
        foreach (var (id, name, endpoint) in _cluster.Members)
        {
            if (id != _cluster.SelfId)
            {
                peers[id] = new RaftPeer(id, name, endpoint, tls, settings.Id);
            }
        }

        _load = settings.RaftLoad > 0 ? new RaftLoad(settings.RaftLoad) : null;
        _runRequests = RunRequests;
        _host = new RaftHost(raft, _log, peers, this, tick, settings.SnapshotEvery, logger, _load);
        _host.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _host?.Dispose();
        _log?.Dispose();
        return Task.CompletedTask;
    }

    private void Respond(in Pending pending, in LockReply reply)
    {
        pending.Connection.Outbox.Respond(pending.Header, reply);
        _dirty.Add(pending.Connection);
    }

    private void RespondError(in Pending pending, ErrorCode code, string message, string hint = "")
    {
        pending.Connection.Outbox.RespondError(pending.Header.RequestId, code, message, hint);
        _dirty.Add(pending.Connection);
    }

    public void OnBatchEnd()
    {
        foreach (var connection in _dirty)
        {
            connection.Outbox.Flush();
        }

        _dirty.Clear();
    }

    private static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
