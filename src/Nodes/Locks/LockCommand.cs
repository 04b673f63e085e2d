namespace Sinkron.Nodes.Locks;

/// <summary>
/// One lock-table command as it travels through the Raft log. <see cref="NowMs"/> is the leader's clock when it
/// proposed the command; it is the only time the table ever reads, so every replica computes the same result.
/// </summary>
/// <remarks>
/// A single tagged struct rather than a type per kind: the apply loop decodes and dispatches it without boxing and
/// the codec has one switch. Build commands with the factory methods; fields a kind does not use stay zero.
/// </remarks>
internal readonly record struct LockCommand
{
    /// <summary>Longest lock name, in UTF-8 bytes.</summary>
    public const int MaxNameBytes = 512;

    /// <summary>Wait timeout meaning "wait until granted or the session ends".</summary>
    public const long WaitForever = -1;

    public LockCommandKind Kind { get; init; }
    public long NowMs { get; init; }
    public ulong ClientId { get; init; }
    public ulong Session { get; init; }
    public ulong Seq { get; init; }

    /// <summary>
    /// The client's lowest seq still awaiting an answer: it has the final answer of every seq below, and promises
    /// never to send them again. A queued acquire is answered when its wait completes, not when it queues.
    /// </summary>
    public ulong AckedBelow { get; init; }
    public string Name { get; init; }
    public LockMode Mode { get; init; }
    public long TtlMs { get; init; }
    public long WaitTimeoutMs { get; init; }

    /// <summary>
    /// Opens a session whose id will be the log index of this command. A non-zero <paramref name="clientId"/> makes
    /// the open idempotent: while that client's session lives, a retried open returns it instead of a second one.
    /// </summary>
    public static LockCommand OpenSession(long nowMs, ulong clientId, long ttlMs) =>
        new() { Kind = LockCommandKind.OpenSession, NowMs = nowMs, ClientId = clientId, TtlMs = ttlMs, Name = "" };

    public static LockCommand KeepAlive(long nowMs, ulong session) =>
        new() { Kind = LockCommandKind.KeepAlive, NowMs = nowMs, Session = session, Name = "" };

    public static LockCommand CloseSession(long nowMs, ulong session) =>
        new() { Kind = LockCommandKind.CloseSession, NowMs = nowMs, Session = session, Name = "" };

    /// <summary>
    /// Acquires <paramref name="name"/>. <paramref name="waitTimeoutMs"/> 0 is a try-acquire (Busy instead of
    /// queueing), <see cref="WaitForever"/> waits until granted or the session ends. <paramref name="seq"/> is
    /// unique within the session (applied at most once; a retry returns the cached result) and
    /// <paramref name="ackedBelow"/> is <see cref="AckedBelow"/>, at most <paramref name="seq"/>.
    /// </summary>
    public static LockCommand Acquire(long nowMs, ulong session, ulong seq, ulong ackedBelow, string name, LockMode mode, long waitTimeoutMs) =>
        new()
        {
            Kind = LockCommandKind.Acquire,
            NowMs = nowMs,
            Session = session,
            Seq = seq,
            AckedBelow = ackedBelow,
            Name = name,
            Mode = mode,
            WaitTimeoutMs = waitTimeoutMs,
        };

    /// <summary>Releases a held lock, or cancels this session's pending wait on it. Seqs as for <see cref="Acquire"/>.</summary>
    public static LockCommand Release(long nowMs, ulong session, ulong seq, ulong ackedBelow, string name) =>
        new() { Kind = LockCommandKind.Release, NowMs = nowMs, Session = session, Seq = seq, AckedBelow = ackedBelow, Name = name };

    public static LockCommand Expire(long nowMs) => new() { Kind = LockCommandKind.Expire, NowMs = nowMs, Name = "" };

    /// <summary>Why this command can never be applied, or null. The codec and the table both ask.</summary>
    public string? Validate()
    {
        if (NowMs < 0)
        {
            return "NowMs must not be negative";
        }

        switch (Kind)
        {
            case LockCommandKind.OpenSession:
                return TtlMs > 0 ? null : "session TTL must be positive";
            case LockCommandKind.KeepAlive or LockCommandKind.CloseSession or LockCommandKind.Expire:
                return null;
            case LockCommandKind.Acquire:
                if (Mode is not (LockMode.Shared or LockMode.Exclusive))
                {
                    return $"unknown lock mode {(byte)Mode}";
                }

                return WaitTimeoutMs < WaitForever ? "wait timeout must be 0, positive or WaitForever (-1)" : ValidateSeqAndName();
            case LockCommandKind.Release:
                return ValidateSeqAndName();
            default:
                return $"unknown command kind {(byte)Kind}";
        }
    }

    private string? ValidateSeqAndName()
    {
        // A command awaits its own answer, so the client's lowest unanswered seq cannot be above it.
        if (AckedBelow > Seq)
        {
            return $"ackedBelow {AckedBelow} is above seq {Seq}";
        }

        if (string.IsNullOrEmpty(Name))
        {
            return "lock name must not be empty";
        }

        return System.Text.Encoding.UTF8.GetByteCount(Name) > MaxNameBytes ? $"lock name longer than {MaxNameBytes} bytes" : null;
    }
}
