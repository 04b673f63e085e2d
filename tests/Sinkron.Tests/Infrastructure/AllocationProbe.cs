namespace Sinkron.Tests.Infrastructure;

/// <summary>
/// Bytes a warm action allocates on this thread. The JIT's tier-up may allocate once while a
/// round runs, so the least of several rounds is the steady state.
/// </summary>
internal static class AllocationProbe
{
    public static long Measure(Action action, int rounds = 5)
    {
        action();
        var least = long.MaxValue;
        for (var i = 0; i < rounds && least > 0; i++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            action();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least;
    }
}
