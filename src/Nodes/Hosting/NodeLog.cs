using Microsoft.Extensions.Logging;
using Sinkron.Wire.Messages;

namespace Sinkron.Nodes.Hosting;

/// <summary>Source-generated log messages of the node host.</summary>
internal static partial class NodeLog
{
    [LoggerMessage(1, LogLevel.Information, "{Role} node {Id} listening on {Listen} (mTLS, protocol v{Version})")]
    public static partial void Started(ILogger logger, NodeRole role, string id, string listen, int version);

    [LoggerMessage(2, LogLevel.Warning, "refused connection from {Remote} ({Principal}): {Code} {Reason}")]
    public static partial void Refused(ILogger logger, string remote, string principal, ErrorCode code, string reason);

    [LoggerMessage(3, LogLevel.Warning, "closing connection {Connection} from {Remote} ({Principal}): {Code} {Reason}")]
    public static partial void ProtocolError(ILogger logger, string connection, string remote, string principal, ErrorCode code, string reason);

    [LoggerMessage(4, LogLevel.Debug, "connection {Connection} from {Remote} ({Principal}) opened")]
    public static partial void Opened(ILogger logger, string connection, string remote, string principal);

    [LoggerMessage(5, LogLevel.Debug, "connection {Connection} closed")]
    public static partial void Closed(ILogger logger, string connection);

    [LoggerMessage(6, LogLevel.Error, "cannot start: {Reason}")]
    public static partial void StartFailed(ILogger logger, string reason);

    [LoggerMessage(7, LogLevel.Error, "audit log write failed: {Reason}")]
    public static partial void AuditFailed(ILogger logger, string reason);
}
