namespace Sinkron.Nodes.Locks;

/// <summary>The kind byte that starts every encoded <see cref="LockCommand"/>. Values are on disk: never renumber.</summary>
internal enum LockCommandKind : byte
{
    OpenSession = 1,
    KeepAlive = 2,
    CloseSession = 3,
    Acquire = 4,
    Release = 5,

    /// <summary>
    /// Only advances the table clock. Every command expires the sessions and waits that are due at its
    /// <see cref="LockCommand.NowMs"/>; the leader proposes this one when a deadline
    /// (<see cref="LockTable.NextDeadlineMs"/>) passes with no other traffic to carry the clock there.
    /// It stands for both ExpireSessions and ExpireWaits: they are the same clock advance.
    /// </summary>
    Expire = 6,
}
