using Microsoft.Extensions.Logging;
using Sinkron.Nodes.Security;
using Sinkron.Wire.Messages;
using Sinkron.Wire.Server;

namespace Sinkron.Nodes.Hosting;

/// <summary>Turns transport events into log lines, audit records and metrics.</summary>
internal sealed class NodeObserver(ILogger<NodeObserver> logger, AuditLog audit, NodeMetrics metrics) : IWireObserver
{
    public void ConnectionOpened(ServerConnection connection)
        => NodeLog.Opened(logger, connection.Id, connection.Remote, connection.Identity.Subject);

    public void ConnectionClosed(ServerConnection connection)
    {
        metrics.ConnectionClosed(connection);
        NodeLog.Closed(logger, connection.Id);
    }

    public void ConnectionRefused(string remote, string principal, ErrorCode code, string reason)
    {
        metrics.Error();
        NodeLog.Refused(logger, remote, principal.Length == 0 ? "no verified certificate" : principal, code, reason);
        audit.Write(principal.Length == 0 ? "unverified@" + remote : principal, "connect", remote, "refused: " + reason);
    }

    public void ProtocolError(ServerConnection connection, ErrorCode code, string reason)
    {
        metrics.Error();
        NodeLog.ProtocolError(logger, connection.Id, connection.Remote, connection.Identity.Subject, code, reason);
        audit.Write(connection.Identity.Subject, "frame", connection.Remote, $"{code}: {reason}");
    }

    public void FramesReceived(int count) => metrics.FramesIn(count);
}
