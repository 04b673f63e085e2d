using Microsoft.Extensions.Logging;

namespace Sinkron.Nodes.Raft.Host;

internal static partial class RaftHostLog
{
    [LoggerMessage(200, LogLevel.Information, "raft: now {Role} in term {Term}, leader {Leader}")]
    public static partial void RoleChanged(ILogger logger, RaftRole role, ulong term, ulong leader);

    [LoggerMessage(201, LogLevel.Information, "raft: snapshot at index {Index} term {Term} ({Bytes} bytes); log compacted")]
    public static partial void SnapshotTaken(ILogger logger, ulong index, ulong term, int bytes);

    [LoggerMessage(202, LogLevel.Critical, "raft: the loop failed; stopping the node")]
    public static partial void Fatal(ILogger logger, Exception error);

    [LoggerMessage(203, LogLevel.Information, "raft: recovered {Report}; hard state term {Term} vote {Vote} commit {Commit}")]
    public static partial void Recovered(ILogger logger, string report, ulong term, ulong vote, ulong commit);

    [LoggerMessage(204, LogLevel.Information, "raft: installed snapshot at index {Index} term {Term} from the leader ({Bytes} bytes)")]
    public static partial void SnapshotInstalled(ILogger logger, ulong index, ulong term, int bytes);
}
