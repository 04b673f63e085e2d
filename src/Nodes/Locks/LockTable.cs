using Sinkron.Wire.Messages.Locks;

namespace Sinkron.Nodes.Locks;

/// <summary>
/// The lock service's replicated state machine: sessions with leases, shared/exclusive locks with FIFO wait queues,
/// fencing tokens, deadlock detection and exactly-once commands. Pure and deterministic: no clocks, threads or I/O;
/// time comes only from <see cref="LockCommand.NowMs"/>, so replicas that apply the same log agree byte for byte.
/// Not thread-safe: one apply loop owns it.
/// </summary>
/// <remarks>
/// Ordering rule: nothing observable may depend on hash-table enumeration order, which differs between a table and
/// its restored snapshot. Iteration goes through sorted sets, queues and holder lists only.
/// </remarks>
internal sealed partial class LockTable
{
    private readonly Dictionary<ulong, SessionState> sessions = [];
    private readonly Dictionary<ulong, ulong> sessionsByClient = [];
    private readonly SortedSet<(long DeadlineMs, ulong Session)> sessionDeadlines = [];
    private readonly Dictionary<string, LockState> locks = new(StringComparer.Ordinal);
    private readonly SortedSet<(long DeadlineMs, ulong WaitId)> waitDeadlines = [];
    private readonly Dictionary<ulong, Waiter> waitsById = [];

    /// <summary>
    /// Locks whose holders or queue changed while applying one command (a name may repeat); granted from in name
    /// order. A list sorted when it holds more than one: usually it holds one, which a SortedSet would allocate a node for.
    /// </summary>
    private readonly List<string> touched = [];

    /// <summary>Index of the last applied command; grants made while applying index i carry fencing token i.</summary>
    public ulong LastAppliedIndex { get; private set; }

    /// <summary>
    /// The table clock: the highest <see cref="LockCommand.NowMs"/> seen. A new leader's clock may lag the old one's;
    /// taking the maximum keeps time, and so expiry, monotonic across leader changes.
    /// </summary>
    public long NowMs { get; private set; }

    public int SessionCount => sessions.Count;
    public int LockCount => locks.Count;

    /// <summary>The earliest session or wait deadline, or null: when the leader should propose an Expire.</summary>
    public long? NextDeadlineMs
    {
        get
        {
            long? next = null;
            if (sessionDeadlines.Count > 0)
            {
                next = sessionDeadlines.Min.DeadlineMs;
            }

            if (waitDeadlines.Count > 0 && (next is null || waitDeadlines.Min.DeadlineMs < next))
            {
                next = waitDeadlines.Min.DeadlineMs;
            }

            return next;
        }
    }

    /// <summary>
    /// Applies the command committed at <paramref name="index"/>. Returns its result; requests completed as a side
    /// effect (waits granted, timed out or cancelled; sessions expired) are appended to <paramref name="events"/>.
    /// </summary>
    public LockResult Apply(ulong index, in LockCommand command, List<LockEvent> events)
    {
        if (index <= LastAppliedIndex)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"already applied up to {LastAppliedIndex}; each index is applied once");
        }

        LastAppliedIndex = index;
        if (command.Validate() is not null)
        {
            return LockResult.Of(LockOutcome.InvalidCommand);
        }

        var ownSessionExpires = command.Kind != LockCommandKind.Expire
            && sessions.TryGetValue(command.Session, out var own)
            && own.DeadlineMs <= Math.Max(NowMs, command.NowMs);
        AdvanceClock(index, command.NowMs, events);
        if (ownSessionExpires)
        {
            return LockResult.Of(LockOutcome.SessionExpired);
        }

        return command.Kind switch
        {
            LockCommandKind.OpenSession => OpenSession(index, command),
            LockCommandKind.KeepAlive => KeepAlive(command),
            LockCommandKind.CloseSession => CloseSession(index, command, events),
            LockCommandKind.Acquire => Acquire(index, command, events),
            LockCommandKind.Release => Release(index, command, events),
            _ => LockResult.Of(LockOutcome.Ok),
        };
    }

    /// <summary>Runs the grant pass on every touched lock, in name order, and forgets locks left idle.</summary>
    private void GrantTouched(ulong index, List<LockEvent> events)
    {
        if (touched.Count > 1)
        {
            touched.Sort(StringComparer.Ordinal);
        }

        for (var i = 0; i < touched.Count; i++)
        {
            var name = touched[i];
            if (i > 0 && string.Equals(name, touched[i - 1], StringComparison.Ordinal))
            {
                continue;
            }

            if (locks.TryGetValue(name, out var lockState))
            {
                GrantFromQueue(index, lockState, events);
                if (lockState.IsIdle)
                {
                    locks.Remove(name);
                }
            }
        }

        touched.Clear();
    }

    private static long DeadlineAfter(long nowMs, long durationMs) =>
        durationMs > long.MaxValue - nowMs ? long.MaxValue : nowMs + durationMs;
}
