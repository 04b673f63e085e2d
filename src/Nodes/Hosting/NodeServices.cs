using Microsoft.Extensions.DependencyInjection;
using Sinkron.Nodes.Cache;
using Sinkron.Nodes.Locks;
using Sinkron.Nodes.Queues;

namespace Sinkron.Nodes.Hosting;

/// <summary>Registers the service a node's role runs.</summary>
internal static class NodeServices
{
    public static void Add(IServiceCollection services, NodeSettings settings)
    {
        switch (settings.Role)
        {
            case NodeRole.Lock:
                services.AddSingleton<LockService>();
                services.AddSingleton<INodeService>(sp => sp.GetRequiredService<LockService>());
                services.AddHostedService(sp => sp.GetRequiredService<LockService>());
                break;
            case NodeRole.Queue:
                services.AddSingleton<QueueService>();
                services.AddSingleton<INodeService>(sp => sp.GetRequiredService<QueueService>());
                services.AddHostedService(sp => sp.GetRequiredService<QueueService>());
                break;
            case NodeRole.Cache:
                services.AddSingleton<CacheService>();
                services.AddSingleton<INodeService>(sp => sp.GetRequiredService<CacheService>());
                services.AddHostedService(sp => sp.GetRequiredService<CacheService>());
                break;
        }
    }
}
