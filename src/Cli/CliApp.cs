using System.CommandLine;
using Sinkron.Cli.Commands;
using Sinkron.Wire.Tls;

namespace Sinkron.Cli;

/// <summary>The <c>sinkron</c> command tree and its error handling.</summary>
internal static class CliApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("sinkron: talk to a Sinkron cluster (locks, queues, cache) over mutual TLS")
        {
            CliContext.Node,
            CliContext.Certs,
            CliContext.Identity,
            CliContext.Timeout,
        };
        root.Subcommands.Add(PingCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(LockCommand.Create());
        root.Subcommands.Add(QueueCommand.Create());
        root.Subcommands.Add(CacheCommand.Create());
        var parsed = root.Parse(args);
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (SinkronException ex)
        {
            await Console.Error.WriteLineAsync($"sinkron: {ex.Code}: {ex.Message}");
            return 1;
        }
        catch (Exception ex) when (ex is CliException or TlsConfigurationException or FormatException)
        {
            await Console.Error.WriteLineAsync($"sinkron: {ex.Message}");
            return 2;
        }
    }
}
