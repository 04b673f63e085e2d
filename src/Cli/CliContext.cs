using System.CommandLine;
using Sinkron.Client;
using Sinkron.Wire.Transport;

namespace Sinkron.Cli;

/// <summary>The options every command shares, and the client they describe.</summary>
internal static class CliContext
{
    public static readonly Option<string?> Node = new("--node")
    {
        Description = "a node's host:port (default: from .cluster/cli.json written by run-cluster.sh up)",
        Recursive = true,
    };

    public static readonly Option<string?> Certs = new("--certs")
    {
        Description = "certificate folder made by certgen (default: from .cluster/cli.json)",
        Recursive = true,
    };

    public static readonly Option<string?> Identity = new("--identity")
    {
        Description = "certificate name to present (default: client)",
        Recursive = true,
    };

    public static readonly Option<double> Timeout = new("--timeout")
    {
        Description = "seconds to wait for each answer",
        DefaultValueFactory = _ => 10,
        Recursive = true,
    };

    public static CliConfig Config { get; } = CliConfig.Load();

    public static SinkronClient CreateClient(ParseResult result, string? identity = null, TimeSpan? lockSessionTtl = null)
    {
        var certs = result.GetValue(Certs) ?? Config.Certs
            ?? throw new CliException("no certificate folder: pass --certs DIR, or start a cluster with ./run-cluster.sh up");
        return SinkronClient.Create(new SinkronClientOptions
        {
            CertificateDirectory = certs,
            Identity = result.GetValue(Identity) ?? identity ?? Config.Identity ?? "client",
            LockNodes = Endpoints(result, Config.LockNodes),
            QueueNodes = Endpoints(result, Config.QueueNodes),
            CacheNodes = Endpoints(result, Config.CacheNodes),
            Connection = new WireClientOptions { RequestTimeout = TimeSpan.FromSeconds(result.GetValue(Timeout)) },
            LockSessionTtl = lockSessionTtl ?? TimeSpan.FromSeconds(10),
        });
    }

    /// <summary>The --node given, else the configured nodes of one service.</summary>
    public static List<WireEndpoint> Endpoints(ParseResult result, List<string> configured)
    {
        if (result.GetValue(Node) is { } node)
        {
            return [ParseEndpoint(node)];
        }

        var list = new List<WireEndpoint>();
        foreach (var text in configured)
        {
            list.Add(ParseEndpoint(text));
        }

        return list;
    }

    public static WireEndpoint ParseEndpoint(string text) => WireEndpoint.TryParse(text, out var endpoint)
        ? endpoint
        : throw new CliException($"'{text}' is not host:port");
}

/// <summary>A usage problem the CLI reports in one line, exit code 2.</summary>
internal sealed class CliException(string message) : Exception(message);
