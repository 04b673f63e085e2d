using Sinkron.Nodes.Locks;

using Sinkron.Wire.Messages.Locks;

namespace Sinkron.Tests.Locks;

/// <summary>Feeds a <see cref="LockTable"/> the way the apply loop would: increasing indexes, a leader clock, a
/// sequence number per session, and an AckedBelow like a client's: the lowest seq whose request is still queued.
/// Keeps every command and every event so a test can replay or inspect them.</summary>
internal sealed class LockTableDriver(LockTable table)
{
    private readonly Dictionary<ulong, ulong> nextSeq = [];
    private readonly SortedSet<(ulong Session, ulong Seq)> queued = [];

    public LockTableDriver()
        : this(new LockTable())
    {
    }

    public LockTable Table { get; } = table;
    public ulong Index { get; private set; } = table.LastAppliedIndex;
    public long NowMs { get; set; } = table.NowMs;
    public List<LockEvent> Events { get; } = [];
    public List<(ulong Index, LockCommand Command)> Applied { get; } = [];

    public LockResult Apply(LockCommand command)
    {
        Index++;
        Applied.Add((Index, command));
        var eventsBefore = Events.Count;
        var result = Table.Apply(Index, command, Events);
        if (result.Status == LockOutcome.Queued)
        {
            queued.Add((command.Session, command.Seq));
        }

        for (var i = eventsBefore; i < Events.Count; i++)
        {
            queued.Remove((Events[i].Session, Events[i].Seq));
        }

        return result;
    }

    public ulong Open(long ttlMs = 10_000, ulong clientId = 0)
    {
        var result = Apply(LockCommand.OpenSession(NowMs, clientId, ttlMs));
        Assert.Equal(LockOutcome.SessionOpened, result.Status);
        return result.Value;
    }

    public ulong NextSeq(ulong session)
    {
        var seq = nextSeq.GetValueOrDefault(session) + 1;
        nextSeq[session] = seq;
        return seq;
    }

    /// <summary>What a client would send along with <paramref name="seq"/>: its lowest seq still unanswered.</summary>
    public ulong AckedBelow(ulong session, ulong seq)
    {
        var waiting = queued.GetViewBetween((session, 0), (session, ulong.MaxValue));
        return waiting.Count > 0 ? Math.Min(waiting.Min.Seq, seq) : seq;
    }

    public LockResult Acquire(ulong session, string name, LockMode mode = LockMode.Exclusive, long waitMs = LockCommand.WaitForever)
    {
        var seq = NextSeq(session);
        return Apply(LockCommand.Acquire(NowMs, session, seq, AckedBelow(session, seq), name, mode, waitMs));
    }

    public LockResult Release(ulong session, string name)
    {
        var seq = NextSeq(session);
        return Apply(LockCommand.Release(NowMs, session, seq, AckedBelow(session, seq), name));
    }

    public LockResult KeepAlive(ulong session) => Apply(LockCommand.KeepAlive(NowMs, session));

    public LockResult Close(ulong session) => Apply(LockCommand.CloseSession(NowMs, session));

    public LockResult Expire(long nowMs)
    {
        NowMs = nowMs;
        return Apply(LockCommand.Expire(nowMs));
    }

    public IReadOnlyList<ulong> Holders(string name)
    {
        if (!Table.TryGetLock(name, out var info))
        {
            return [];
        }

        var sessions = new List<ulong>();
        foreach (var holder in info.Holders)
        {
            sessions.Add(holder.Session);
        }

        return sessions;
    }

    public IReadOnlyList<ulong> Waiters(string name)
    {
        if (!Table.TryGetLock(name, out var info))
        {
            return [];
        }

        var sessions = new List<ulong>();
        foreach (var waiter in info.Waiters)
        {
            sessions.Add(waiter.Session);
        }

        return sessions;
    }

    /// <summary>The WaitCompleted events for one session, oldest first.</summary>
    public List<LockEvent> CompletedWaits(ulong session) =>
        Events.FindAll(e => e.Kind == LockEventKind.WaitCompleted && e.Session == session);
}
