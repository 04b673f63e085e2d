using System.CommandLine;
using Sinkron.Client;
using Sinkron.Wire.Transport;

namespace Sinkron.Cli.Commands;

/// <summary><c>sinkron status</c>: one line per node with its role and service fields.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var command = new Command("status", "show each node's role, state and service figures (the whole cluster by default)");
        command.SetAction(async (result, cancellationToken) =>
        {
            var config = CliContext.Config;
            var nodes = CliContext.Endpoints(result, [.. config.LockNodes, .. config.QueueNodes, .. config.CacheNodes]);
            if (nodes.Count == 0)
            {
                throw new CliException("no nodes known: pass --node HOST:PORT, or start a cluster with ./run-cluster.sh up");
            }

            await using var client = CliContext.CreateClient(result);
            var failures = 0;
            Console.WriteLine($"{"NODE",-10} {"ADDRESS",-16} {"ROLE",-6} {"STATE",-8} DETAILS");
            foreach (var node in nodes)
            {
                failures += await PrintAsync(client, node, cancellationToken) ? 0 : 1;
            }

            return failures == 0 ? 0 : 1;
        });
        return command;
    }

    private static async Task<bool> PrintAsync(SinkronClient client, WireEndpoint node, CancellationToken cancellationToken)
    {
        try
        {
            var status = await client.StatusAsync(node, cancellationToken);
            var details = new List<string> { $"up {TimeSpan.FromMilliseconds(status.UptimeMs):d\\.hh\\:mm\\:ss}", $"conns {status.Connections}" };
            var state = "up";
            foreach (var (key, value) in status.Fields)
            {
                if (key == "state")
                {
                    state = value;
                    continue;
                }

                details.Add($"{key} {value}");
            }

            Console.WriteLine($"{status.NodeId,-10} {node,-16} {status.Role,-6} {state,-8} {string.Join(", ", details)}");
            return true;
        }
        catch (SinkronException ex)
        {
            Console.WriteLine($"{"?",-10} {node,-16} {"?",-6} {"down",-8} {ex.Message}");
            return false;
        }
    }
}
