using StackExchange.Redis;

namespace Sinkron.Nodes.Queues;

/// <summary>
/// Retention by max length that never drops an entry a consumer group still needs: each pass
/// trims a queue to its limit, but never past the oldest entry that some group has not yet been
/// delivered or has not acknowledged (Redis' own MAXLEN would drop those).
/// </summary>
internal static class QueueTrimmer
{
    public static async Task TrimAsync(QueueRouter router, Action<string, Exception>? failed, CancellationToken cancellationToken)
    {
        foreach (var (queue, maxLength) in router.Retention)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var node = router.NodeFor(queue);
            if (!node.IsConnected)
            {
                continue;
            }

            try
            {
                await TrimOneAsync(node.Database, QueueKeys.Stream(queue), maxLength);
            }
            catch (Exception ex) when (ex is RedisException or FormatException)
            {
                // The next pass tries again; retention is best effort, safety is not at stake.
                failed?.Invoke(queue, ex);
            }
        }
    }

    private static async Task TrimOneAsync(IDatabase db, RedisKey key, uint maxLength)
    {
        var length = await db.StreamLengthAsync(key);
        if (length <= maxLength)
        {
            return;
        }

        // The oldest entry the limit keeps.
        var newest = await db.StreamRangeAsync(key, "-", "+", (int)maxLength, Order.Descending);
        if (newest.Length == 0)
        {
            return;
        }

        var cut = StreamId.Parse(newest[^1].Id.ToString());
        foreach (var group in await db.StreamGroupInfoAsync(key))
        {
            var undelivered = StreamId.Parse(group.LastDeliveredId ?? "0-0").Next();
            cut = StreamId.Min(cut, undelivered);
            if (group.PendingMessageCount > 0)
            {
                var summary = await db.StreamPendingAsync(key, group.Name);
                cut = StreamId.Min(cut, StreamId.Parse(summary.LowestPendingMessageId.ToString()));
            }
        }

        await db.ExecuteAsync("XTRIM", key, "MINID", cut.ToString());
    }

    private readonly record struct StreamId(ulong Milliseconds, ulong Sequence)
    {
        public static StreamId Parse(string text)
        {
            var dash = text.IndexOf('-');
            return dash < 0
                ? new StreamId(ulong.Parse(text, System.Globalization.CultureInfo.InvariantCulture), 0)
                : new StreamId(ulong.Parse(text.AsSpan(0, dash), System.Globalization.CultureInfo.InvariantCulture),
                    ulong.Parse(text.AsSpan(dash + 1), System.Globalization.CultureInfo.InvariantCulture));
        }

        public StreamId Next() => Sequence == ulong.MaxValue ? new StreamId(Milliseconds + 1, 0) : this with { Sequence = Sequence + 1 };

        public static StreamId Min(StreamId a, StreamId b) => (a.Milliseconds, a.Sequence).CompareTo((b.Milliseconds, b.Sequence)) <= 0 ? a : b;

        public override string ToString() => $"{Milliseconds}-{Sequence}";
    }
}
