using System.Collections.Concurrent;

namespace Sinkron.Nodes.Queues;

/// <summary>
/// Wakes long-polling consumers of a queue when this router produces to it, so a waiting
/// consume answers at once without blocking a Redis connection (StackExchange.Redis cannot
/// block on a shared multiplexer). Waiters also re-check on a short period, which covers
/// redeliveries and other producers.
/// </summary>
internal sealed class QueueSignals
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _signals = new();

    public Task WaitAsync(string queue) =>
        _signals.GetOrAdd(queue, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Notify(string queue)
    {
        if (_signals.TryRemove(queue, out var signal))
        {
            signal.TrySetResult();
        }
    }
}
