namespace Sinkron.Nodes.Locks;

/// <summary>The outcome of a command, or of a wait completed later. Values are in snapshots: never renumber.</summary>
internal enum LockStatus : byte
{
    /// <summary>The command did its job and has nothing else to say (Expire).</summary>
    Ok = 1,

    /// <summary>A session is open; <see cref="LockResult.Value"/> is its id.</summary>
    SessionOpened = 2,

    /// <summary>The lease was renewed; <see cref="LockResult.Value"/> is the new deadline (leader clock, ms).</summary>
    KeptAlive = 3,
    SessionClosed = 4,

    /// <summary>The lock is held; <see cref="LockResult.Value"/> is the fencing token.</summary>
    Granted = 5,

    /// <summary>The request waits in the lock's queue; its outcome arrives later as a <see cref="LockEvent"/>.</summary>
    Queued = 6,

    /// <summary>A try-acquire (wait timeout 0) found the lock unavailable.</summary>
    Busy = 7,
    Released = 8,

    /// <summary>Release of a lock this session neither holds nor waits for.</summary>
    NotHeld = 9,

    /// <summary>The wait timeout passed before the lock could be granted.</summary>
    Timeout = 10,

    /// <summary>Queueing would close a cycle in the wait-for graph; <see cref="LockResult.Cycle"/> names it.</summary>
    Deadlock = 11,

    /// <summary>The session's lease ran out at or before this command's time.</summary>
    SessionExpired = 12,

    /// <summary>No live session has this id: never opened, closed, or expired earlier.</summary>
    UnknownSession = 13,

    /// <summary>
    /// The seq is below the session's watermark (the client acknowledged it, or it fell out of a full window): its
    /// result is gone and it is never applied again.
    /// </summary>
    Stale = 14,

    /// <summary>The session already waits for this lock.</summary>
    AlreadyWaiting = 15,

    /// <summary>The session holds the lock shared and asked for exclusive: release it first.</summary>
    UpgradeNotSupported = 16,

    /// <summary>A wait ended without a grant because its session released (gave up) or closed.</summary>
    Cancelled = 17,

    /// <summary>The command breaks a rule no retry can fix (bad TTL, empty name, ...).</summary>
    InvalidCommand = 18,
}
