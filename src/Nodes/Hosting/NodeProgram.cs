using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Sinkron.Nodes.Security;
using Sinkron.Wire.Messages;
using Sinkron.Wire.Server;
using Sinkron.Wire.Tls;

namespace Sinkron.Nodes.Hosting;

/// <summary>Starts a node: settings, TLS material, the service for its role, and Kestrel on the generic host.</summary>
internal static class NodeProgram
{
    public static async Task<int> RunAsync(string[] args)
    {
        // Socket completions run inline on the epoll threads instead of hopping to the thread pool:
        // on 2 cores the hop, not the crypto, is what a round trip costs. Handlers never block.
        Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.Out.Write(NodeConfiguration.Help());
            return ExitCodes.Stopped;
        }

        NodeSettings settings;
        TlsMaterial tls;
        try
        {
            settings = NodeSettings.From(NodeConfiguration.Build(args));
            tls = TlsMaterial.Load(settings.Certs, settings.Id);
        }
        catch (Exception ex) when (ex is SettingsException or TlsConfigurationException)
        {
            await Console.Error.WriteLineAsync($"sinkron-node: {ex.Message}");
            return ExitCodes.Settings;
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);

        var services = builder.Services;
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        services.AddSingleton(settings);
        services.AddSingleton(tls);
        services.AddSingleton(new WireServerOptions
        {
            NodeId = settings.Id,
            MaxConnections = settings.MaxConnections,
            IdleTimeout = settings.IdleTimeout,
            MaxFrameBytes = settings.MaxFrameBytes,
        });
        services.AddSingleton<ConnectionRegistry>();
        services.AddSingleton<NodeMetrics>();
        services.AddSingleton<AuditLog>();
        services.AddHostedService(sp => sp.GetRequiredService<AuditLog>());
        services.AddSingleton<IWireObserver, NodeObserver>();
        services.AddSingleton<NodeFrameHandler>();
        services.AddSingleton<IFrameHandler>(sp => sp.GetRequiredService<NodeFrameHandler>());
        NodeServices.Add(services, settings);

        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            var address = settings.Listen.Host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(settings.Listen.Host);
            kestrel.Listen(address, settings.Listen.Port, listen => WireListener.Configure(listen, tls));
        });

        await using var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Sinkron.Node");
        try
        {
            await app.StartAsync();
        }
        catch (SettingsException ex)
        {
            NodeLog.StartFailed(logger, ex.Message);
            return ExitCodes.Settings;
        }
        catch (IOException ex) when (IsBindFailure(ex))
        {
            NodeLog.StartFailed(logger, $"cannot listen on {settings.Listen}: {ex.Message}");
            return ExitCodes.Listen;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            // The Raft log, snapshots or audit file could not be read or written: name the folder, and
            // end with a code, not an unhandled exception (whose abort signal reads as a crash).
            NodeLog.StartFailed(logger, $"cannot use the data folder {settings.Data}: {ex.Message}");
            return ExitCodes.Data;
        }

        NodeLog.Started(logger, settings.Role, settings.Id, settings.Listen.ToString(), Hello.CurrentVersion);
        var registry = app.Services.GetRequiredService<ConnectionRegistry>();
        app.Lifetime.ApplicationStopping.Register(registry.AbortAll);
        await app.WaitForShutdownAsync();
        return ExitCodes.Stopped;
    }

    // Kestrel reports a port it cannot bind as an IOException around the socket error.
    private static bool IsBindFailure(IOException ex)
        => ex.InnerException is SocketException or AddressInUseException;
}
