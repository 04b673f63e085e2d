using Sinkron.Nodes.Ring;
using Sinkron.Wire.Messages.Queues;
using StackExchange.Redis;

namespace Sinkron.Nodes.Queues;

/// <summary>STATS: per queue backlog, pending, consumers, dead letters; per Redis node health, queue count and key share.</summary>
internal sealed partial class QueueRouter
{
    public async Task<QueueStatsResponse> StatsAsync(string queue)
    {
        var queues = new List<QueueStats>();
        var nodeStats = new List<RedisNodeStats>();
        var balance = RingBalance.Compute(ring, []);
        foreach (var node in nodes)
        {
            var share = ShareOf(balance, node.Id);
            if (!node.IsConnected)
            {
                nodeStats.Add(new RedisNodeStats(node.Id, node.Address, false, 0, share, "unreachable"));
                continue;
            }

            try
            {
                List<string> names = queue.Length > 0
                    ? (NodeFor(queue) == node ? [queue] : [])
                    : [.. (await node.Database.SetMembersAsync(QueueKeys.Registry)).Select(v => v.ToString()).Order(StringComparer.Ordinal)];
                var held = (uint)await node.Database.SetLengthAsync(QueueKeys.Registry);
                foreach (var name in names)
                {
                    queues.Add(await QueueStatsAsync(node, name));
                }

                nodeStats.Add(new RedisNodeStats(node.Id, node.Address, true, held, share, ""));
            }
            catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
            {
                nodeStats.Add(new RedisNodeStats(node.Id, node.Address, false, 0, share, ex.Message));
            }
        }

        return new QueueStatsResponse(queues, nodeStats);
    }

    private static double ShareOf(RingBalanceReport balance, string id)
    {
        foreach (var share in balance.Nodes)
        {
            if (share.Id == id)
            {
                return share.ArcShare;
            }
        }

        return 0;
    }

    private async Task<QueueStats> QueueStatsAsync(RedisNode node, string name)
    {
        var db = node.Database;
        var key = QueueKeys.Stream(name);
        var length = db.StreamLengthAsync(key);
        var dead = db.StreamLengthAsync(QueueKeys.DeadLetters(name));
        var groups = new List<GroupStats>();
        if (await db.KeyExistsAsync(key))
        {
            foreach (var group in await db.StreamGroupInfoAsync(key))
            {
                var consumers = new List<ConsumerStats>();
                foreach (var consumer in await db.StreamConsumerInfoAsync(key, group.Name))
                {
                    consumers.Add(new ConsumerStats(consumer.Name, (ulong)consumer.PendingMessageCount, (ulong)consumer.IdleTimeInMilliseconds));
                }

                groups.Add(new GroupStats(group.Name, (ulong)(group.Lag ?? 0), (ulong)group.PendingMessageCount, consumers));
            }
        }

        return new QueueStats(name, node.Id, (ulong)await length, (ulong)await dead, (ulong)_redeliveries.GetValueOrDefault(name), groups);
    }
}
