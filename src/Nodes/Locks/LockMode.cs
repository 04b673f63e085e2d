namespace Sinkron.Nodes.Locks;

/// <summary>How a lock is held: many shared holders at once, or one exclusive holder.</summary>
internal enum LockMode : byte
{
    Shared = 0,
    Exclusive = 1,
}
