namespace Sinkron.Nodes.Cache;

/// <summary>
/// TTLs. The node that accepted a put with a TTL deletes the key, through the protocol like any
/// client delete, when the TTL runs out — unless its line shows the key was written again since
/// (another version) or it no longer holds a valid copy and so cannot tell; expiry is best effort.
/// </summary>
internal sealed partial class CacheService
{
    private static readonly TimeSpan ExpiryTick = TimeSpan.FromMilliseconds(50);

    private readonly PriorityQueue<(byte[] Key, ulong Version), long> expiries = new();

    private void ScheduleExpiry(byte[] key, ulong version, uint ttlMs) =>
        expiries.Enqueue((key, version), Environment.TickCount64 + ttlMs);

    private async Task ExpireLoopAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(ExpiryTick);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                ExpireDue();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void ExpireDue()
    {
        lock (gate)
        {
            var now = Environment.TickCount64;
            while (expiries.TryPeek(out var entry, out var due) && due <= now)
            {
                expiries.Dequeue();
                var line = core.Inspect(entry.Key);
                if (line.State != LineState.Invalid && line.Version == entry.Version && !line.Tombstone)
                {
                    // No pending entry: the delete's completion is nobody's answer.
                    core.Delete(entry.Key, ++nextOp);
                }
            }

            Drain();
        }
    }
}
