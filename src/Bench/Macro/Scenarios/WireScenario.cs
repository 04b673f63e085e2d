using Sinkron.Wire.Messages;
using Sinkron.Wire.Tls;
using Sinkron.Wire.Transport;

namespace Sinkron.Bench.Macro.Scenarios;

/// <summary>PING round trips: the transport's own cost (mTLS, framing, multiplexing, flush coalescing).</summary>
internal sealed class WireScenario(WireEndpoint node, string certs, int connections) : IScenario
{
    private readonly List<WireConnection> _connections = [];
    private TlsMaterial? _tls;

    public IReadOnlyList<string> Operations { get; } = ["ping"];

    public async Task SetupAsync(CancellationToken cancellationToken)
    {
        _tls = TlsMaterial.Load(certs, "client");
        var options = new WireClientOptions { InlineCompletions = true };
        for (var i = 0; i < connections; i++)
        {
            _connections.Add(await WireConnection.ConnectAsync(node, _tls, options, cancellationToken: cancellationToken));
        }
    }

    public async Task StepAsync(int user, ScenarioContext context, long intendedStart, CancellationToken cancellationToken)
    {
        var connection = _connections[user % _connections.Count];
        try
        {
            await connection.SendAsync<Ping, Ping>(new Ping((ulong)user), CancellationToken.None);
            context.Ok(0, intendedStart);
        }
        catch (SinkronException ex)
        {
            context.Fail(0, ex);
        }

    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }

        _tls?.Dispose();
    }
}
