using Microsoft.Extensions.Logging;

namespace Sinkron.Nodes.Locks;

internal static partial class LockLog
{
    [LoggerMessage(300, LogLevel.Error, "lock: skipped log entry {Index}: {Error}")]
    public static partial void BadEntry(ILogger logger, ulong index, string error);
}
