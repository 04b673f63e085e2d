namespace Sinkron.Client;

/// <summary>How a lock is held.</summary>
public enum LockMode : byte
{
    /// <summary>Many sessions may hold the lock shared at once; no exclusive holder meanwhile.</summary>
    Shared = 0,

    /// <summary>One session holds the lock; nobody else, shared or exclusive.</summary>
    Exclusive = 1,
}
