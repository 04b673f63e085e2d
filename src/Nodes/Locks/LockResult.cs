using Sinkron.Wire.Messages.Locks;

namespace Sinkron.Nodes.Locks;

/// <summary>
/// What applying a command (or completing a wait) produced. <see cref="Value"/> depends on <see cref="Status"/>:
/// the fencing token for Granted, the session id for SessionOpened, the lease deadline for KeptAlive, else 0.
/// </summary>
internal readonly struct LockResult : IEquatable<LockResult>
{
    private readonly ulong[]? cycle;

    public LockResult(LockOutcome status, ulong value = 0, ulong[]? cycle = null)
    {
        Status = status;
        Value = value;
        this.cycle = cycle;
    }

    public LockOutcome Status { get; }
    public ulong Value { get; }

    /// <summary>For Deadlock: the sessions of the cycle in wait-for order, starting with the requester.</summary>
    public ReadOnlySpan<ulong> Cycle => cycle;

    public ulong Token => Status == LockOutcome.Granted ? Value : 0;

    public static LockResult Of(LockOutcome status) => new(status);
    public static LockResult Granted(ulong token) => new(LockOutcome.Granted, token);
    public static LockResult Opened(ulong session) => new(LockOutcome.SessionOpened, session);
    public static LockResult DeadlockOn(ulong[] cycle) => new(LockOutcome.Deadlock, 0, cycle);

    public static bool operator ==(LockResult left, LockResult right) => left.Equals(right);
    public static bool operator !=(LockResult left, LockResult right) => !left.Equals(right);

    public bool Equals(LockResult other) =>
        Status == other.Status && Value == other.Value && Cycle.SequenceEqual(other.Cycle);

    public override bool Equals(object? obj) => obj is LockResult other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Status, Value, cycle?.Length ?? 0);

    public override string ToString() => Status switch
    {
        LockOutcome.Deadlock => $"Deadlock({string.Join(" -> ", cycle ?? [])})",
        LockOutcome.Granted or LockOutcome.SessionOpened or LockOutcome.KeptAlive => $"{Status}({Value})",
        _ => Status.ToString(),
    };
}
