using Sinkron.Wire.Messages.Locks;

namespace Sinkron.Nodes.Locks;

/// <summary>Turns lock table results into wire replies with a sentence a person can act on.</summary>
internal static class LockReplies
{
    public static LockReply From(in LockResult result, string name)
    {
        var outcome = result.Status;
        var detail = result.Status switch
        {
            LockOutcome.Deadlock => $"waiting for '{name}' would deadlock: sessions {string.Join(" -> ", result.Cycle.ToArray())}",
            LockOutcome.Busy => $"'{name}' is held by another session",
            LockOutcome.Timeout => $"gave up waiting for '{name}'",
            LockOutcome.NotHeld => $"this session does not hold '{name}'",
            LockOutcome.SessionExpired => "the session's lease expired; its locks were released",
            LockOutcome.UnknownSession => "no such session (expired or never opened)",
            LockOutcome.Stale => "this request's result was already discarded (sequence number below the acknowledged mark)",
            LockOutcome.UpgradeNotSupported => $"'{name}' is held shared by this session; release it before asking for exclusive",
            LockOutcome.AlreadyWaiting => $"this session already waits for '{name}'",
            LockOutcome.Cancelled => $"the wait for '{name}' was cancelled by a release",
            LockOutcome.InvalidCommand => "the request is malformed",
            _ => "",
        };
        return new LockReply(outcome, result.Value, detail);
    }
}
