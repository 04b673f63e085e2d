namespace Sinkron.Nodes.Cache;

/// <summary>A node's line for a key, as <c>sinkron cache get</c> and tests see it.</summary>
internal readonly record struct LineInfo(LineState State, ulong Version, bool Tombstone, bool Pending, int QueuedOps);

/// <summary>A key's memory copy and directory at its home.</summary>
internal readonly record struct HomeInfo(ulong Version, bool Tombstone, int Owner, ulong Sharers, bool Busy, int Waiting);
