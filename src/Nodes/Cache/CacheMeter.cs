using System.Diagnostics.Metrics;

namespace Sinkron.Nodes.Cache;

/// <summary>
/// The <c>Sinkron.Cache</c> meter: the core's counters as observable instruments
/// (<c>dotnet-counters monitor -n sinkron-node --counters Sinkron.Cache</c>). Observations read the
/// counters without the cache lock; a torn read of a counter is an acceptable cost for a metric.
/// </summary>
internal sealed class CacheMeter : IDisposable
{
    public const string MeterName = "Sinkron.Cache";

    private static readonly (LineState State, string Name)[] States =
        [(LineState.Modified, "M"), (LineState.Exclusive, "E"), (LineState.Shared, "S"), (LineState.Invalid, "I")];

    private readonly Meter meter;

    public CacheMeter(string nodeId, CacheMetrics metrics)
    {
        meter = new Meter(MeterName, "1.0", [new("node", nodeId)]);
        meter.CreateObservableCounter("sinkron.cache.hits", () => metrics.Hits, "{operation}", "client operations served from the local line");
        meter.CreateObservableCounter("sinkron.cache.misses", () => metrics.Misses, "{operation}", "client operations that needed the key's home");
        meter.CreateObservableGauge("sinkron.cache.hit_ratio", () => metrics.HitRatio, null, "hits over all client operations");
        meter.CreateObservableCounter("sinkron.cache.evictions", () => metrics.Evictions, "{line}", "lines evicted by LRU replacement");
        meter.CreateObservableCounter("sinkron.cache.write_backs", () => metrics.WriteBacks, "{line}", "dirty lines sent home");
        meter.CreateObservableCounter("sinkron.cache.invalidations", () => Invalidations(metrics), "{message}", "invalidations sent and received");
        meter.CreateObservableCounter("sinkron.cache.bus.messages", () => BusMessages(metrics), "{message}", "bus messages by type and direction");
        meter.CreateObservableGauge("sinkron.cache.lines", () => Lines(metrics), "{line}", "lines per MESI state");
    }

    private static Measurement<long>[] Invalidations(CacheMetrics metrics) =>
    [
        new(metrics.InvalidationsSent, new KeyValuePair<string, object?>("direction", "sent")),
        new(metrics.InvalidationsReceived, new KeyValuePair<string, object?>("direction", "received")),
    ];

    private static List<Measurement<long>> BusMessages(CacheMetrics metrics)
    {
        var list = new List<Measurement<long>>(2 * BusMessageTypes.Count);
        for (var type = (BusMessageType)1; (int)type < BusMessageTypes.Count; type++)
        {
            var tag = new KeyValuePair<string, object?>("type", type.ToString());
            list.Add(new(metrics.Sent(type), tag, new("direction", "sent")));
            list.Add(new(metrics.Received(type), tag, new("direction", "received")));
        }

        return list;
    }

    private static Measurement<long>[] Lines(CacheMetrics metrics)
    {
        var result = new Measurement<long>[States.Length];
        for (var i = 0; i < States.Length; i++)
        {
            result[i] = new(metrics.Lines(States[i].State), new KeyValuePair<string, object?>("state", States[i].Name));
        }

        return result;
    }

    public void Dispose() => meter.Dispose();
}
