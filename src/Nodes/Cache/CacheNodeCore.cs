using System.Buffers;
using System.Text;

namespace Sinkron.Nodes.Cache;

/// <summary>
/// One cache node's MESI logic, in both roles: a cache holding lines for client operations, and
/// the home of the keys the ring assigns to it (memory copy, directory, per-key serialization).
/// Pure and single-threaded, in the etcd/raft shape: the caller feeds client operations,
/// <see cref="Receive"/>d bus messages and peer events, one at a time, then drains
/// <see cref="Output"/> (messages to send, completions to answer).
/// Assumes each link delivers in order (it is a TCP connection); links are not ordered with each
/// other. Messages a node sends itself never leave the core.
/// Wiring: one loop owns the core (client requests, decoded bus frames and link events all go
/// through it); after each call, or a batch of calls, it writes <c>Output.Messages</c> to the
/// peers' writer loops, answers <c>Output.Completions</c>, then clears the output. A dropped link
/// must reach the core as <see cref="PeerDown"/> on both ends, a reconnect as <see cref="PeerUp"/>.
/// </summary>
internal sealed partial class CacheNodeCore
{
    public const int MaxNodes = 64;

    private readonly int nodeId;
    private readonly int nodeCount;
    private readonly IKeyHomes homes;
    private readonly CacheOptions options;
    private readonly LruMap<CacheLine> lines;
    private readonly Dictionary<byte[], HomeEntry> homeEntries = new(ByteKeyComparer.Instance);
    private readonly Dictionary<byte[], HomeEntry>.AlternateLookup<ReadOnlySpan<byte>> homeBySpan;
    private readonly Queue<BusMessage> loopback = new();
    private ulong downPeers;

    public CacheNodeCore(int nodeId, int nodeCount, IKeyHomes homes, CacheOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(nodeCount, MaxNodes);
        ArgumentOutOfRangeException.ThrowIfNegative(nodeId);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(nodeId, nodeCount);
        this.nodeId = nodeId;
        this.nodeCount = nodeCount;
        this.homes = homes;
        this.options = options;
        lines = new LruMap<CacheLine>(options.MaxEntries, options.MaxBytes);
        homeBySpan = homeEntries.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public int NodeId => nodeId;

    public CacheOutput Output { get; } = new();

    public CacheMetrics Metrics { get; } = new();

    public int LineCount => lines.Count;

    public long LineBytes => lines.Bytes;

    public void Get(string key, ulong requestId)
    {
        Span<byte> buffer = stackalloc byte[BusFrameCodec.MaxKeyBytes];
        Get(Utf8Key(key, buffer), requestId);
    }

    public void Get(ReadOnlySpan<byte> key, ulong requestId) => Submit(key, new ClientOp(ClientOpKind.Get, requestId, null));

    public void Put(string key, ReadOnlySpan<byte> value, ulong requestId)
    {
        Span<byte> buffer = stackalloc byte[BusFrameCodec.MaxKeyBytes];
        Put(Utf8Key(key, buffer), value, requestId);
    }

    /// <summary>Writes <paramref name="value"/>, which is copied: the caller may reuse its buffer.</summary>
    public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong requestId)
    {
        ThrowIfValueTooLong(value.Length);
        Submit(key, new ClientOp(ClientOpKind.Put, requestId, value.ToArray()));
    }

    public void Delete(string key, ulong requestId)
    {
        Span<byte> buffer = stackalloc byte[BusFrameCodec.MaxKeyBytes];
        Delete(Utf8Key(key, buffer), requestId);
    }

    public void Delete(ReadOnlySpan<byte> key, ulong requestId) => Submit(key, new ClientOp(ClientOpKind.Delete, requestId, null));

    /// <summary>Evicts the key's line now, as replacement would; false when absent or busy.</summary>
    public bool Evict(ReadOnlySpan<byte> key)
    {
        if (!lines.TryPeek(key, out var line) || line.Pinned || line.State == LineState.Invalid)
        {
            return false;
        }

        EvictLine(line);
        Settle();
        return true;
    }

    /// <summary>
    /// Handles a message from a peer. The message's key and value may point into a receive buffer:
    /// everything kept is copied before this returns. False when the message was dropped
    /// (not addressed here, or from a peer this node considers down).
    /// </summary>
    public bool Receive(in BusMessage message)
    {
        if (message.To != nodeId || message.From >= nodeCount || message.From == nodeId || IsDown(message.From)
            || !BusMessageTypes.IsDefined((byte)message.Type) || message.Key.Length > BusFrameCodec.MaxKeyBytes)
        {
            return false;
        }

        Metrics.CountReceived(message.Type);
        Dispatch(in message);
        Settle();
        return true;
    }

    public LineInfo Inspect(ReadOnlySpan<byte> key) =>
        lines.TryPeek(key, out var line)
            ? new LineInfo(line.State, line.Version, line.Tombstone, line.Pending is not null, line.Ops?.Count ?? 0)
            : default;

    public HomeInfo? InspectHome(ReadOnlySpan<byte> key) =>
        homeBySpan.TryGetValue(key, out var e)
            ? new HomeInfo(e.Version, e.Tombstone, e.Owner, e.Sharers, e.Busy, e.Waiting?.Count ?? 0)
            : null;

    private void Dispatch(in BusMessage message)
    {
        Span<byte> scratch = message.Key.IsSingleSegment ? [] : stackalloc byte[BusFrameCodec.MaxKeyBytes];
        var key = KeySpan(message.Key, scratch);
        var from = message.From;
        switch (message.Type)
        {
            case BusMessageType.BusRd:
            case BusMessageType.BusRdX:
            case BusMessageType.BusUpgr:
            case BusMessageType.WriteThrough:
                OnRequest(key, in message);
                break;
            case BusMessageType.PutM:
            case BusMessageType.PutE:
            case BusMessageType.PutS:
                OnPut(key, in message);
                break;
            case BusMessageType.FetchAck:
                OnFetchAck(key, in message);
                break;
            case BusMessageType.InvAck:
                OnInvAck(key, in message);
                break;
            case BusMessageType.Fetch:
                OnFetch(key, from);
                break;
            case BusMessageType.Inv:
                OnInv(key, from);
                break;
            case BusMessageType.GrantS:
            case BusMessageType.GrantE:
            case BusMessageType.GrantM:
                OnGrant(key, in message);
                break;
            case BusMessageType.WriteAck:
                OnWriteAck(key, in message);
                break;
            default:
                Metrics.ProtocolErrors++;
                break;
        }
    }

    /// <summary>
    /// Runs what a call set in motion to a quiet point: messages to self, then replacement (whose
    /// write-backs may again go to self).
    /// </summary>
    private void Settle()
    {
        DrainLoopback();
        EnforceCapacity();
        DrainLoopback();
    }

    private void DrainLoopback()
    {
        while (loopback.TryDequeue(out var message))
        {
            Dispatch(in message);
        }
    }

    private void Send(BusMessageType type, int to, ulong version, BusFlags flags, byte[] key, byte[]? value)
    {
        var message = new BusMessage(
            type,
            (ushort)nodeId,
            (ushort)to,
            version,
            flags,
            new ReadOnlySequence<byte>(key),
            value is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(value));
        if (to == nodeId)
        {
            loopback.Enqueue(message);
            return;
        }

        if (IsDown(to))
        {
            return;
        }

        Metrics.CountSent(type);
        Output.Messages.Add(message);
    }

    private bool IsDown(int node) => (downPeers & Bit(node)) != 0;

    private static ulong Bit(int node) => 1UL << node;

    private static BusFlags DataFlags(bool tombstone) => tombstone ? BusFlags.HasData | BusFlags.Tombstone : BusFlags.HasData;

    private static ReadOnlySpan<byte> KeySpan(in ReadOnlySequence<byte> key, Span<byte> scratch)
    {
        if (key.IsSingleSegment)
        {
            return key.FirstSpan;
        }

        key.CopyTo(scratch);
        return scratch[..(int)key.Length];
    }

    private static ReadOnlySpan<byte> Utf8Key(string key, Span<byte> buffer)
    {
        if (Encoding.UTF8.GetByteCount(key) > buffer.Length)
        {
            throw new ArgumentException($"Keys are limited to {BusFrameCodec.MaxKeyBytes} UTF-8 bytes.", nameof(key));
        }

        return buffer[..Encoding.UTF8.GetBytes(key, buffer)];
    }

    private static void ThrowIfValueTooLong(int length)
    {
        if (length > BusFrameCodec.MaxValueBytes)
        {
            throw new ArgumentException($"Values are limited to {BusFrameCodec.MaxValueBytes} bytes.", nameof(length));
        }
    }
}
