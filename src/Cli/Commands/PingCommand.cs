using System.CommandLine;

namespace Sinkron.Cli.Commands;

/// <summary><c>sinkron ping</c>: round trips to one node over mTLS.</summary>
internal static class PingCommand
{
    public static Command Create()
    {
        var count = new Option<int>("--count", "-c") { Description = "pings to send", DefaultValueFactory = _ => 1 };
        var command = new Command("ping", "send PING to a node and print the round-trip time") { count };
        command.SetAction(async (result, cancellationToken) =>
        {
            var targets = CliContext.Endpoints(result, AllConfigured());
            if (targets.Count == 0)
            {
                throw new CliException("no node to ping: pass --node HOST:PORT");
            }

            await using var client = CliContext.CreateClient(result);
            var node = targets[0];
            for (var i = 0; i < Math.Max(1, result.GetValue(count)); i++)
            {
                var rtt = await client.PingAsync(node, cancellationToken);
                Console.WriteLine($"pong from {node}: {rtt.TotalMilliseconds:0.###} ms");
            }

            return 0;
        });
        return command;
    }

    private static List<string> AllConfigured()
        => [.. CliContext.Config.LockNodes, .. CliContext.Config.QueueNodes, .. CliContext.Config.CacheNodes];

}
