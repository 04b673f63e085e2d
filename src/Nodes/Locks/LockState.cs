namespace Sinkron.Nodes.Locks;

/// <summary>One lock: its holders in grant order and its FIFO wait queue. Exists only while either is non-empty.</summary>
internal sealed class LockState(string name)
{
    public string Name { get; } = name;
    public List<Holder> Holders { get; } = [];
    public List<Waiter> Queue { get; } = [];

    public bool IsIdle => Holders.Count == 0 && Queue.Count == 0;

    /// <summary>Whether a request in <paramref name="mode"/> fits beside the current holders (queue aside).</summary>
    public bool CanGrant(LockMode mode) =>
        Holders.Count == 0 || (mode == LockMode.Shared && Holders[0].Mode == LockMode.Shared);

    public int IndexOfHolder(ulong session)
    {
        for (var i = 0; i < Holders.Count; i++)
        {
            if (Holders[i].Session == session)
            {
                return i;
            }
        }

        return -1;
    }
}

internal readonly record struct Holder(ulong Session, LockMode Mode, ulong Token);

/// <summary>A queued acquire. <see cref="Id"/> is the log index of the acquire, unique for the table's life.</summary>
internal sealed class Waiter(ulong id, ulong session, ulong seq, LockMode mode, long deadlineMs, LockState lockState)
{
    public ulong Id { get; } = id;
    public ulong Session { get; } = session;
    public ulong Seq { get; } = seq;
    public LockMode Mode { get; } = mode;

    /// <summary>Leader-clock time at which the wait times out; <see cref="long.MaxValue"/> = never.</summary>
    public long DeadlineMs { get; } = deadlineMs;
    public LockState Lock { get; } = lockState;
}
