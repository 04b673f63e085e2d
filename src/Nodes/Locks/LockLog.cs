using Microsoft.Extensions.Logging;

namespace Sinkron.Nodes.Locks;

internal static partial class LockLog
{
    [LoggerMessage(300, LogLevel.Error, "lock: skipped log entry {Index}: {Error}")]
    public static partial void BadEntry(ILogger logger, ulong index, string error);

    [LoggerMessage(301, LogLevel.Warning, "lock: --unsafe-no-fsync is set: the Raft log is never fsynced, and a crash loses acknowledged writes")]
    public static partial void NoFsync(ILogger logger);

    [LoggerMessage(302, LogLevel.Warning, "lock: --wal-mirror is set: every Raft log batch is also written to {Path} and fsynced, for measuring; commits wait for both copies")]
    public static partial void WalMirror(ILogger logger, string path);
}
