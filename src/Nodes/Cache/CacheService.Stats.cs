using Sinkron.Wire.Messages.Cache;

namespace Sinkron.Nodes.Cache;

/// <summary>CACHE_STATS and the cache's STATUS fields.</summary>
internal sealed partial class CacheService
{
    public CacheStatsResponse Stats()
    {
        lock (gate)
        {
            var m = core.Metrics;
            var bus = new List<CacheBusCount>(BusMessageTypes.Count - 1);
            for (var type = (BusMessageType)1; (int)type < BusMessageTypes.Count; type++)
            {
                bus.Add(new CacheBusCount(type.ToString(), (ulong)m.Sent(type), (ulong)m.Received(type)));
            }

            return new CacheStatsResponse(
                settings.Id,
                (ulong)m.Hits,
                (ulong)m.Misses,
                (ulong)m.Evictions,
                (ulong)m.WriteBacks,
                (ulong)m.InvalidationsSent,
                (ulong)m.InvalidationsReceived,
                (ulong)m.ProtocolErrors,
                new CacheLineCounts((ulong)m.Lines(LineState.Modified), (ulong)m.Lines(LineState.Exclusive), (ulong)m.Lines(LineState.Shared), (ulong)m.Lines(LineState.Invalid)),
                (ulong)core.LineBytes,
                new CacheLatency(getLatency.PercentileMicroseconds(0.5), getLatency.PercentileMicroseconds(0.99),
                    putLatency.PercentileMicroseconds(0.5), putLatency.PercentileMicroseconds(0.99)),
                bus);
        }
    }

    public void AddStatus(List<KeyValuePair<string, string>> fields)
    {
        lock (gate)
        {
            var up = 0;
            foreach (var link in links)
            {
                up += link is { Up: true } ? 1 : 0;
            }

            var peers = topology.Count - 1;
            var m = core.Metrics;
            fields.Add(new("state", up == peers ? "up" : "degraded"));
            fields.Add(new("peers up", $"{up}/{peers}"));
            fields.Add(new("lines", $"M {m.Lines(LineState.Modified)} E {m.Lines(LineState.Exclusive)} S {m.Lines(LineState.Shared)} I {m.Lines(LineState.Invalid)}"));
            fields.Add(new("hits", m.Hits.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            fields.Add(new("misses", m.Misses.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
    }
}
