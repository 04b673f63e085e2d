using Sinkron.Wire.Framing;
using Sinkron.Wire.Messages;
using Sinkron.Wire.Tls;
using Sinkron.Wire.Transport;

namespace Sinkron.Nodes.Raft.Host;

/// <summary>
/// The outbound link to one peer: messages are encoded straight into the connection's outbox
/// (one frame each, one flush per Raft batch). With no live connection a message is dropped —
/// Raft retransmits — and a reconnect is started in the background with backoff.
/// </summary>
internal sealed class RaftPeer(ulong id, string name, WireEndpoint endpoint, TlsMaterial tls, string selfName) : IAsyncDisposable
{
    private readonly WireChannel _channel = new(endpoint, tls, new WireClientOptions
    {
        ConnectTimeout = TimeSpan.FromSeconds(2),
        ReconnectDelay = TimeSpan.FromMilliseconds(20),
        MaxReconnectDelay = TimeSpan.FromMilliseconds(500),
        InlineCompletions = true,
    }, selfName);

    private WireConnection? _connection;
    private int _connecting;
    private bool _dirty;
    private volatile bool _trailing;

    public ulong Id => id;

    public string Name => name;

    public WireEndpoint Endpoint => endpoint;

    public bool IsConnected => _connection is { IsClosed: false };

    /// <summary>When this peer last acknowledged an append, as its leader saw it (Stopwatch ticks).</summary>
    public long LastAcknowledged { get; set; }

    /// <summary>When the oldest message not yet flushed was queued (Stopwatch ticks); meaningful while any is.</summary>
    public long QueuedSince { get; private set; }

    /// <summary>Whether the leader lets this peer's messages wait for a bundle (see RaftHost.ChooseTrailing).</summary>
    public bool Trailing
    {
        get => _trailing;
        set => _trailing = value;
    }

    public void Send(in RaftMessage message)
    {
        var connection = _connection;
        if (connection is null || connection.IsClosed)
        {
            Reconnect();
            return;
        }

        using (var frame = connection.Outbox.BeginFrame(MessageType.Raft, FrameFlags.None, 0))
        {
            RaftMessageCodec.Write(frame.Writer, message);
        }

        if (!_dirty)
        {
            QueuedSince = System.Diagnostics.Stopwatch.GetTimestamp();
            _dirty = true;
        }
    }

    /// <summary>Sends what was queued since the last flush; called by the thread running a Raft pass.</summary>
    public void Flush()
    {
        if (_dirty)
        {
            _dirty = false;
            _connection?.Outbox.Flush();
        }
    }

    /// <summary>
    /// Sends whatever is queued; for the leader's Raft thread, outside the pass, where
    /// <see cref="_dirty"/> may be in the middle of an update.
    /// </summary>
    public void FlushFromAnyThread() => _connection?.Outbox.Flush();

    private void Reconnect()
    {
        if (Interlocked.Exchange(ref _connecting, 1) == 1)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                _connection = await _channel.GetConnectionAsync();
            }
            catch (SinkronException)
            {
                // Backoff lives in the channel; the next message tries again.
            }
            catch (ObjectDisposedException)
            {
            }
            finally
            {
                Volatile.Write(ref _connecting, 0);
            }
        });
    }

    public ValueTask DisposeAsync() => _channel.DisposeAsync();
}
