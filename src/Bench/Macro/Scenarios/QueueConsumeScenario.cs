using Sinkron.Client;
using Sinkron.Wire.Transport;

namespace Sinkron.Bench.Macro.Scenarios;

/// <summary>
/// Consume then ack through the router: each step receives up to a batch for the user's consumer
/// (no wait) from a pre-filled queue and acknowledges what came in one ACK. Messages/s is the
/// <c>message</c> row; <c>empty</c> counts consumes that found the backlog drained.
/// </summary>
internal sealed class QueueConsumeScenario(WireEndpoint router, string certs, int clients, QueueBacklog backlog, int batch) : IScenario
{
    public const int Call = 0;
    public const int Message = 1;
    public const int Empty = 2;
    private readonly List<SinkronClient> _clients = [];

    public static IReadOnlyList<string> OperationNames { get; } = ["consume+ack", "message", "empty"];

    public IReadOnlyList<string> Operations => OperationNames;

    public async Task SetupAsync(CancellationToken cancellationToken)
    {
        await backlog.FillAsync();
        for (var i = 0; i < clients; i++)
        {
            _clients.Add(SinkronClient.Create(new SinkronClientOptions
            {
                CertificateDirectory = certs,
                QueueNodes = [router],
                Connection = new WireClientOptions { InlineCompletions = true },
            }));
        }
    }

    public async Task StepAsync(int user, ScenarioContext context, long intendedStart, CancellationToken cancellationToken)
    {
        try
        {
            var queues = _clients[user % _clients.Count].Queues;
            var queue = backlog.QueueName(user);
            var messages = await queues.ConsumeAsync(queue, QueueBacklog.Group, QueueBacklog.Consumer(user), batch, TimeSpan.Zero, CancellationToken.None);
            if (messages.Count == 0)
            {
                context.Ok(Empty, intendedStart);
                return;
            }

            var ids = new string[messages.Count];
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = messages[i].Id;
            }

            await queues.AckAsync(queue, QueueBacklog.Group, ids, CancellationToken.None);
            Record(context, ids.Length, intendedStart);
        }
        catch (SinkronException ex)
        {
            context.Fail(0, ex);
        }
    }

    /// <summary>One consume+ack, and one <c>message</c> per message it carried (with the step's latency).</summary>
    public static void Record(ScenarioContext context, int messages, long intendedStart)
    {
        context.Ok(Call, intendedStart);
        for (var i = 0; i < messages; i++)
        {
            context.Ok(Message, intendedStart);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }

        await backlog.DisposeAsync();
    }
}
