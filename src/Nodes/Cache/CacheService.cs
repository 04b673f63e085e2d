using System.Buffers;
using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sinkron.Nodes.Hosting;
using Sinkron.Wire.Framing;
using Sinkron.Wire.Messages;
using Sinkron.Wire.Messages.Cache;
using Sinkron.Wire.Server;
using Sinkron.Wire.Tls;
using Sinkron.Wire.Transport;

namespace Sinkron.Nodes.Cache;

/// <summary>
/// The cache role: one lock owns the <see cref="CacheNodeCore"/>. Client frames, bus frames and link
/// events enter the core under it; after each the output is drained at once — bus messages into the
/// peers' outboxes (so per-link FIFO is the order the core produced them), completions to the
/// connections that asked. Core request ids map back to (connection, frame request id).
/// </summary>
internal sealed partial class CacheService : BackgroundService, INodeService
{
    private readonly Lock gate = new();
    private readonly NodeSettings settings;
    private readonly TlsMaterial tls;
    private readonly ILogger<CacheService> logger;
    private readonly CacheTopology topology;
    private readonly CacheNodeCore core;
    private readonly CacheMeter meter;
    private readonly PeerLink?[] links;
    private readonly Dictionary<ulong, PendingClientOp> pending = [];
    private readonly List<ulong> scratchIds = [];
    private readonly List<FrameOutbox> toFlush = [];
    private readonly LatencyWindow getLatency = new();
    private readonly LatencyWindow putLatency = new();
    private ulong nextOp;

    public CacheService(NodeSettings settings, TlsMaterial tls, ILogger<CacheService> logger)
    {
        this.settings = settings;
        this.tls = tls;
        this.logger = logger;
        topology = new CacheTopology(settings.Peers, settings.Id, settings.Listen);
        core = new CacheNodeCore(topology.SelfId, topology.Count, topology.Homes, new CacheOptions
        {
            MaxEntries = settings.CacheEntries,
            MaxBytes = settings.CacheBytes,
            WriteThrough = settings.WriteThrough,
        });
        meter = new CacheMeter(settings.Id, core.Metrics);
        links = new PeerLink?[topology.Count];
        for (var id = 0; id < topology.Count; id++)
        {
            if (id != topology.SelfId)
            {
                links[id] = new PeerLink(id, topology.NameOf(id), topology.EndpointOf(id));

                // Nothing may be sent to a peer before both directions of its link are open.
                core.PeerDown(id);
            }
        }
    }

    public bool Handles(MessageType type) =>
        type is MessageType.CacheGet or MessageType.CachePut or MessageType.CacheDelete or MessageType.CacheStats or MessageType.CacheBus;

    public void OnFrame(ServerConnection connection, in FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        switch (header.Type)
        {
            case MessageType.CacheBus:
                OnBus(connection, payload);
                return;
            case MessageType.CacheGet or MessageType.CacheDelete when CacheKey.TryRead(payload, out var request):
                Submit(connection, header, request.Key, ReadOnlySequence<byte>.Empty, 0);
                return;
            case MessageType.CachePut when CachePut.TryRead(payload, out var put):
                Submit(connection, header, put.Key, put.Value, put.TtlMs);
                return;
            case MessageType.CacheStats when CacheStatsRequest.TryRead(payload, out _):
                connection.Outbox.Respond(header, Stats());
                return;
            default:
                connection.Fail(header.RequestId, ErrorCode.BadPayload, $"{header.Type} payload is malformed; see docs/protocol.md");
                return;
        }
    }

    public void OnClosed(ServerConnection connection)
    {
        lock (gate)
        {
            if (connection.ServiceState is PeerLink link && ReferenceEquals(link.Inbound, connection))
            {
                link.Inbound = null;
                TakeDown(link, "its connection to this node closed");
            }

            // Operations still in the core finish there; their answers have nowhere to go.
            scratchIds.Clear();
            foreach (var (id, op) in pending)
            {
                if (ReferenceEquals(op.Connection, connection))
                {
                    scratchIds.Add(id);
                }
            }

            foreach (var id in scratchIds)
            {
                pending.Remove(id);
            }
        }
    }

    private void Submit(ServerConnection connection, in FrameHeader header, in ReadOnlySequence<byte> key, in ReadOnlySequence<byte> value, uint ttlMs)
    {
        if (key.IsEmpty || key.Length > CacheLimits.MaxKeyBytes)
        {
            connection.Outbox.RespondError(header.RequestId, ErrorCode.InvalidArgument,
                $"a cache key must be 1 to {CacheLimits.MaxKeyBytes} bytes; this one has {key.Length}");
            return;
        }

        if (value.Length > CacheLimits.MaxValueBytes)
        {
            connection.Outbox.RespondError(header.RequestId, ErrorCode.InvalidArgument,
                $"a cache value may have at most {CacheLimits.MaxValueBytes} bytes; this one has {value.Length}");
            return;
        }

        Span<byte> keyScratch = key.IsSingleSegment ? [] : stackalloc byte[CacheLimits.MaxKeyBytes];
        var keySpan = Contiguous(key, keyScratch);
        byte[]? rented = null;
        ReadOnlySpan<byte> valueSpan = value.FirstSpan;
        if (!value.IsSingleSegment)
        {
            rented = ArrayPool<byte>.Shared.Rent((int)value.Length);
            value.CopyTo(rented);
            valueSpan = rented.AsSpan(0, (int)value.Length);
        }

        try
        {
            lock (gate)
            {
                var id = ++nextOp;
                var expiryKey = ttlMs > 0 && header.Type == MessageType.CachePut ? keySpan.ToArray() : null;
                pending.Add(id, new PendingClientOp(connection, header.RequestId, header.Type, Stopwatch.GetTimestamp(), ttlMs, expiryKey));
                switch (header.Type)
                {
                    case MessageType.CacheGet:
                        core.Get(keySpan, id);
                        break;
                    case MessageType.CachePut:
                        core.Put(keySpan, valueSpan, id);
                        break;
                    default:
                        core.Delete(keySpan, id);
                        break;
                }

                Drain();
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Sends what the core produced and answers what it completed. Under the lock. Called from a
    /// connection's read loop, its flushes are corked until the end of the batch read (see
    /// <see cref="FrameOutbox.Cork"/>), so pipelined requests' answers leave in one write.
    /// </summary>
    private void Drain()
    {
        var output = core.Output;
        if (output.Messages.Count > 0)
        {
            SendBus(output.Messages);
        }

        foreach (var completion in output.Completions)
        {
            Answer(completion);
        }

        output.Clear();
        foreach (var outbox in toFlush)
        {
            outbox.Flush();
        }

        toFlush.Clear();
    }

    private void Answer(in CacheCompletion completion)
    {
        if (!pending.Remove(completion.RequestId, out var op))
        {
            return;
        }

        (op.Type == MessageType.CacheGet ? getLatency : putLatency).Record(op.StartedTicks);
        var outbox = op.Connection.Outbox;
        if (completion.Status == CacheStatus.Unavailable)
        {
            outbox.RespondError(op.FrameRequestId, ErrorCode.Unavailable,
                $"the key's home cache node is not reachable from {settings.Id} right now; retry shortly");
        }
        else
        {
            var status = completion.Status == CacheStatus.NotFound ? CacheResultStatus.NotFound : CacheResultStatus.Ok;
            outbox.Write(op.Type, op.FrameRequestId, FrameFlags.Response, new CacheResult(status, (CacheLineState)completion.State, completion.Version, completion.Value));
            if (op.ExpiryKey is not null)
            {
                ScheduleExpiry(op.ExpiryKey, completion.Version, op.TtlMs);
            }
        }

        if (!toFlush.Contains(outbox))
        {
            toFlush.Add(outbox);
        }
    }

    private static ReadOnlySpan<byte> Contiguous(in ReadOnlySequence<byte> bytes, Span<byte> scratch)
    {
        if (bytes.IsSingleSegment)
        {
            return bytes.FirstSpan;
        }

        bytes.CopyTo(scratch);
        return scratch[..(int)bytes.Length];
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        CacheLog.Started(logger, settings.Id, topology.SelfId, topology.Count, Members(), settings.WriteThrough, settings.CacheEntries, settings.CacheBytes);
        var loops = new List<Task> { ExpireLoopAsync(stoppingToken) };
        foreach (var link in links)
        {
            if (link is not null)
            {
                loops.Add(RunLinkAsync(link, stoppingToken));
            }
        }

        await Task.WhenAll(loops);
    }

    private string Members()
    {
        var names = new string[topology.Count];
        for (var id = 0; id < names.Length; id++)
        {
            names[id] = $"{id}={topology.NameOf(id)}";
        }

        return string.Join(", ", names);
    }

    public override void Dispose()
    {
        meter.Dispose();
        base.Dispose();
    }
}
