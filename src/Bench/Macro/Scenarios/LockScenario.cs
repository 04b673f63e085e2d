using Sinkron.Client;
using Sinkron.Wire.Transport;

namespace Sinkron.Bench.Macro.Scenarios;

/// <summary>
/// Each step: acquire a lock exclusive (or, in the mixed variant, shared 3 times in 4) on a random
/// name, then release it; both operations are timed. Users share <c>clients</c> client instances,
/// each with its own session and connection to the leader.
/// </summary>
internal sealed class LockScenario(IReadOnlyList<WireEndpoint> nodes, string certs, int clients, int names, bool mixed) : IScenario
{
    private readonly List<SinkronClient> _clients = [];

    public IReadOnlyList<string> Operations { get; } = ["acquire", "release"];

    public async Task SetupAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < clients; i++)
        {
            var client = SinkronClient.Create(new SinkronClientOptions
            {
                CertificateDirectory = certs,
                LockNodes = nodes,
                Connection = new WireClientOptions { InlineCompletions = true },
            });
            await client.Locks.SessionIdAsync(cancellationToken);
            _clients.Add(client);
        }
    }

    public async Task StepAsync(int user, ScenarioContext context, long intendedStart, CancellationToken cancellationToken)
    {
        var client = _clients[user % _clients.Count];
        var name = "bench-" + Random.Shared.Next(names).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var mode = mixed && Random.Shared.Next(4) != 0 ? LockMode.Shared : LockMode.Exclusive;
        LockHandle held;
        try
        {
            held = await client.Locks.AcquireAsync(name, mode, TimeSpan.FromSeconds(10), CancellationToken.None);
            context.Ok(0, intendedStart);
        }
        catch (SinkronException ex)
        {
            context.Fail(0, ex);
            return;
        }

        var releaseStart = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            await held.ReleaseAsync(CancellationToken.None);
            context.Ok(1, releaseStart);
        }
        catch (SinkronException ex)
        {
            context.Fail(1, ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }
    }
}
