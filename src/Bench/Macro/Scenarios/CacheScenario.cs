using System.Globalization;
using Sinkron.Client;
using Sinkron.Wire.Transport;

namespace Sinkron.Bench.Macro.Scenarios;

/// <summary>
/// The cache read/write mix: each step reads (with probability <c>readRatio</c>) or writes a
/// 100-byte value of a key chosen by <see cref="KeyChooser"/>, at node <c>user % nodes</c>, so the
/// users are spread over every node and the hot keys bounce between M and S across them.
/// Every key is written once in setup, so a read never finds nothing.
/// </summary>
internal sealed class CacheScenario(IReadOnlyList<WireEndpoint> nodes, string certs, int clients, KeyChooser keys, double readRatio) : IScenario
{
    private static readonly ReadOnlyMemory<byte> Value = new byte[100];
    private readonly List<SinkronClient> _clients = [];
    private readonly string[] _names = KeyNames("bench-c-", keys.Count);

    public IReadOnlyList<string> Operations { get; } = ["get", "put"];

    public async Task SetupAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < clients; i++)
        {
            _clients.Add(Connect(nodes, certs));
        }

        await Parallel.ForAsync(0, _names.Length, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellationToken },
            async (i, ct) => await UntilAvailableAsync(() => _clients[i % _clients.Count].Cache.PutAsync(_names[i], Value, i % nodes.Count, cancellationToken: ct), ct));
    }

    public async Task StepAsync(int user, ScenarioContext context, long intendedStart, CancellationToken cancellationToken)
    {
        var cache = _clients[user % _clients.Count].Cache;
        var node = user % nodes.Count;
        var key = _names[keys.Next()];
        var read = Random.Shared.NextDouble() < readRatio;
        var operation = read ? 0 : 1;
        try
        {
            if (read)
            {
                await cache.GetAsync(key, node, CancellationToken.None);
            }
            else
            {
                await cache.PutAsync(key, Value, node, cancellationToken: CancellationToken.None);
            }

            context.Ok(operation, intendedStart);
        }
        catch (SinkronException ex)
        {
            context.Fail(operation, ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }
    }

    internal static SinkronClient Connect(IReadOnlyList<WireEndpoint> nodes, string certs) => SinkronClient.Create(new SinkronClientOptions
    {
        CertificateDirectory = certs,
        CacheNodes = nodes,
        Connection = new WireClientOptions { InlineCompletions = true },
    });

    /// <summary>Retries while the nodes' bus links are still coming up (UNAVAILABLE), for up to 15 s.</summary>
    internal static async Task UntilAvailableAsync(Func<Task> operation, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            try
            {
                await operation();
                return;
            }
            catch (SinkronException ex) when (ex.Code == Sinkron.Wire.Messages.ErrorCode.Unavailable && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    internal static string[] KeyNames(string prefix, int count)
    {
        var names = new string[count];
        for (var i = 0; i < count; i++)
        {
            names[i] = prefix + i.ToString(CultureInfo.InvariantCulture);
        }

        return names;
    }
}
