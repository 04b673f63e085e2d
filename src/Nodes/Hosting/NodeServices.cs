using Microsoft.Extensions.DependencyInjection;

namespace Sinkron.Nodes.Hosting;

/// <summary>Registers the service a node's role runs.</summary>
internal static class NodeServices
{
    public static void Add(IServiceCollection services, NodeSettings settings)
    {
        _ = services;
        _ = settings;
    }
}
