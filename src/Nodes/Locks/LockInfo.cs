namespace Sinkron.Nodes.Locks;

/// <summary>A lock as inspection shows it: holders in grant order, waiters in queue order.</summary>
internal sealed record LockInfo(string Name, IReadOnlyList<HolderInfo> Holders, IReadOnlyList<WaiterInfo> Waiters);

internal readonly record struct HolderInfo(ulong Session, LockMode Mode, ulong Token);

/// <summary>A queued request. <see cref="DeadlineMs"/> is <see cref="long.MaxValue"/> for a wait without timeout.</summary>
internal readonly record struct WaiterInfo(ulong Session, ulong Seq, LockMode Mode, long DeadlineMs);
