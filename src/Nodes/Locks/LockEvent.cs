namespace Sinkron.Nodes.Locks;

internal enum LockEventKind : byte
{
    /// <summary>A queued acquire finished: granted, timed out, or cancelled by release/close/expiry.</summary>
    WaitCompleted = 1,

    /// <summary>A session's lease ran out; its locks were released and its waits dropped.</summary>
    SessionExpired = 2,
}

/// <summary>
/// Something that happened to a request other than the one being applied, so the node can answer a client that
/// is blocked on it. For WaitCompleted, (<see cref="Session"/>, <see cref="Seq"/>) identify the original acquire.
/// </summary>
internal readonly record struct LockEvent(LockEventKind Kind, ulong Session, ulong Seq, string Name, LockResult Result);
