using Sinkron.Client;
using Sinkron.Wire.Transport;

namespace Sinkron.Bench.Macro.Scenarios;

/// <summary>Each step produces one 100-byte message to one of a few queues through the router.</summary>
internal sealed class QueueProduceScenario(WireEndpoint router, string certs, int clients, int queues) : IScenario
{
    private static readonly ReadOnlyMemory<byte> Body = new byte[100];
    private readonly List<SinkronClient> _clients = [];

    public IReadOnlyList<string> Operations { get; } = ["produce"];

    public Task SetupAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < clients; i++)
        {
            _clients.Add(SinkronClient.Create(new SinkronClientOptions
            {
                CertificateDirectory = certs,
                QueueNodes = [router],
                Connection = new WireClientOptions { InlineCompletions = true },
            }));
        }

        return Task.CompletedTask;
    }

    public async Task StepAsync(int user, ScenarioContext context, long intendedStart, CancellationToken cancellationToken)
    {
        try
        {
            await _clients[user % _clients.Count].Queues.ProduceAsync(QueueName(user, queues), Body, CancellationToken.None);
            context.Ok(0, intendedStart);
        }
        catch (SinkronException ex)
        {
            context.Fail(0, ex);
        }
    }

    public static string QueueName(int user, int queues) => "bench-q-" + (user % queues).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }
    }
}
