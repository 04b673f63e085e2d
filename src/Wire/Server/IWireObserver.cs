using Sinkron.Wire.Messages;

namespace Sinkron.Wire.Server;

/// <summary>
/// What the transport reports to its host for logs, audit and metrics. The transport itself
/// neither logs nor audits, so it stays free of any one host's choices.
/// </summary>
public interface IWireObserver
{
    /// <summary>A connection passed TLS and was accepted.</summary>
    void ConnectionOpened(ServerConnection connection);

    /// <summary>A connection ended.</summary>
    void ConnectionClosed(ServerConnection connection);

    /// <summary>A connection was refused before any frame was read: failed handshake, no role, limit reached.</summary>
    void ConnectionRefused(string remote, string principal, ErrorCode code, string reason);

    /// <summary>A peer broke the protocol or was not allowed a message; the connection is being closed.</summary>
    void ProtocolError(ServerConnection connection, ErrorCode code, string reason);

    /// <summary>Frames read in one batch.</summary>
    void FramesReceived(int count);
}
