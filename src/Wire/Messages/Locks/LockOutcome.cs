namespace Sinkron.Wire.Messages.Locks;

/// <summary>The result of a lock operation, carried by <see cref="LockReply"/>. Values match the lock table's statuses.</summary>
public enum LockOutcome : byte
{
    /// <summary>Done.</summary>
    Ok = 1,

    /// <summary>A session was opened; the reply's value is its id.</summary>
    SessionOpened = 2,

    /// <summary>The lease was renewed; the value is the new deadline (ms since the Unix epoch, leader clock).</summary>
    KeptAlive = 3,

    /// <summary>The session was closed and its locks released.</summary>
    SessionClosed = 4,

    /// <summary>The lock is held; the value is the fencing token.</summary>
    Granted = 5,

    /// <summary>Internal: the request waits in the lock's queue (never sent as a final answer).</summary>
    Queued = 6,

    /// <summary>A try-acquire found the lock held.</summary>
    Busy = 7,

    /// <summary>The lock was released.</summary>
    Released = 8,

    /// <summary>The session does not hold the lock.</summary>
    NotHeld = 9,

    /// <summary>The wait timed out.</summary>
    Timeout = 10,

    /// <summary>Waiting would close a cycle; the detail names it.</summary>
    Deadlock = 11,

    /// <summary>The session's lease ran out.</summary>
    SessionExpired = 12,

    /// <summary>No such session.</summary>
    UnknownSession = 13,

    /// <summary>A sequence number whose result was already discarded.</summary>
    Stale = 14,

    /// <summary>The session already waits for this lock.</summary>
    AlreadyWaiting = 15,

    /// <summary>Shared to exclusive upgrades are not supported; release first.</summary>
    UpgradeNotSupported = 16,

    /// <summary>The wait was cancelled by a release.</summary>
    Cancelled = 17,

    /// <summary>The request was malformed.</summary>
    InvalidCommand = 18,
}
