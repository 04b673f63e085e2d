using Microsoft.AspNetCore.Connections;
using Sinkron.Wire.Messages;
using Sinkron.Wire.Tls;
using Sinkron.Wire.Transport;

namespace Sinkron.Wire.Server;

/// <summary>One accepted connection as the service logic sees it.</summary>
public sealed class ServerConnection
{
    private readonly ConnectionContext _context;
    private long _lastActivity = Environment.TickCount64;

    internal ServerConnection(ConnectionContext context, CertificateIdentity identity)
    {
        _context = context;
        Identity = identity;
        Remote = context.RemoteEndPoint?.ToString() ?? "unknown";
    }

    /// <summary>Kestrel's connection id, for logs.</summary>
    public string Id => _context.ConnectionId;

    /// <summary>The peer's certificate identity.</summary>
    public CertificateIdentity Identity { get; }

    /// <summary>The peer's address.</summary>
    public string Remote { get; }

    /// <summary>What the peer said in its HELLO (its node id, empty for clients).</summary>
    public string PeerNodeId { get; internal set; } = "";

    /// <summary>Where responses are queued.</summary>
    public FrameOutbox Outbox { get; } = new();

    /// <summary>Per-connection state owned by the service (for example lock sessions opened here).</summary>
    public object? ServiceState { get; set; }

    /// <summary>Fires when the connection closes.</summary>
    public CancellationToken Closed => _context.ConnectionClosed;

    internal long IdleMilliseconds => Environment.TickCount64 - Volatile.Read(ref _lastActivity);

    internal void Touch() => Volatile.Write(ref _lastActivity, Environment.TickCount64);

    /// <summary>Sends an error frame and closes the connection after it is flushed.</summary>
    public void Fail(ulong requestId, ErrorCode code, string reason)
    {
        IsFailed = true;
        Outbox.RespondError(requestId, code, reason);
        Outbox.Complete();
    }

    internal bool IsFailed { get; private set; }

    internal void Abort() => _context.Abort(new ConnectionAbortedException("idle timeout"));
}
