using Sinkron.Wire.Messages.Locks;

namespace Sinkron.Nodes.Locks;

/// <summary>Turns lock table results into wire replies with a sentence a person can act on.</summary>
internal static class LockReplies
{
    public static LockReply From(in LockResult result, string name)
    {
        var outcome = (LockOutcome)(byte)result.Status;
        var detail = result.Status switch
        {
            LockStatus.Deadlock => $"waiting for '{name}' would deadlock: sessions {string.Join(" -> ", result.Cycle.ToArray())}",
            LockStatus.Busy => $"'{name}' is held by another session",
            LockStatus.Timeout => $"gave up waiting for '{name}'",
            LockStatus.NotHeld => $"this session does not hold '{name}'",
            LockStatus.SessionExpired => "the session's lease expired; its locks were released",
            LockStatus.UnknownSession => "no such session (expired or never opened)",
            LockStatus.Stale => "this request's result was already discarded (sequence number below the acknowledged mark)",
            LockStatus.UpgradeNotSupported => $"'{name}' is held shared by this session; release it before asking for exclusive",
            LockStatus.AlreadyWaiting => $"this session already waits for '{name}'",
            LockStatus.Cancelled => $"the wait for '{name}' was cancelled by a release",
            LockStatus.InvalidCommand => "the request is malformed",
            _ => "",
        };
        return new LockReply(outcome, result.Value, detail);
    }
}
