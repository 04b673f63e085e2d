using System.Diagnostics.Metrics;
using Sinkron.Wire.Server;

namespace Sinkron.Nodes.Hosting;

/// <summary>
/// The node's meter, <c>Sinkron.Node</c>: read it with
/// <c>dotnet-counters monitor -n sinkron-node --counters Sinkron.Node</c>.
/// </summary>
internal sealed class NodeMetrics : IDisposable
{
    public const string MeterName = "Sinkron.Node";

    private readonly Meter _meter;
    private readonly Counter<long> _framesIn;
    private readonly Counter<long> _errors;
    private readonly Histogram<double> _latency;
    private long _framesOutClosed;

    public NodeMetrics(ConnectionRegistry registry, NodeSettings settings)
    {
        _meter = new Meter(MeterName, "1.0", [new("node", settings.Id), new("role", settings.Role.ToString().ToLowerInvariant())]);
        _meter.CreateObservableUpDownCounter("sinkron.connections", () => registry.Count, "{connection}", "open connections");
        _framesIn = _meter.CreateCounter<long>("sinkron.frames.in", "{frame}", "frames received");
        _meter.CreateObservableCounter("sinkron.frames.out", () => FramesOut(registry), "{frame}", "frames sent");
        _errors = _meter.CreateCounter<long>("sinkron.errors", "{error}", "refused connections and protocol errors");
        _latency = _meter.CreateHistogram<double>("sinkron.request.duration", "ms", "time from request to response");
    }

    public void FramesIn(int count) => _framesIn.Add(count);

    public void Error() => _errors.Add(1);

    public void RequestDuration(double milliseconds) => _latency.Record(milliseconds);

    public void ConnectionClosed(ServerConnection connection) => Interlocked.Add(ref _framesOutClosed, connection.Outbox.FramesWritten);

    private long FramesOut(ConnectionRegistry registry)
    {
        var total = Volatile.Read(ref _framesOutClosed);
        foreach (var connection in registry.Connections)
        {
            total += connection.Outbox.FramesWritten;
        }

        return total;
    }

    public void Dispose() => _meter.Dispose();
}
