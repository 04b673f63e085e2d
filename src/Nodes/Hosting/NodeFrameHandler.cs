using System.Buffers;
using System.Diagnostics;
using System.Reflection;
using Sinkron.Wire.Framing;
using Sinkron.Wire.Messages;
using Sinkron.Wire.Server;

namespace Sinkron.Nodes.Hosting;

/// <summary>Routes frames to the node's service and answers STATUS for every role.</summary>
internal sealed class NodeFrameHandler(NodeSettings settings, ConnectionRegistry registry, IEnumerable<INodeService> services) : IFrameHandler
{
    public static readonly string Version = typeof(NodeFrameHandler).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    private readonly INodeService[] _services = [.. services];
    private readonly long _started = Stopwatch.GetTimestamp();

    public void OnFrame(ServerConnection connection, in FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        if (header.Type == MessageType.Status)
        {
            connection.Outbox.Respond(header.RequestId, Status());
            return;
        }

        foreach (var service in _services)
        {
            if (service.Handles(header.Type))
            {
                service.OnFrame(connection, header, payload);
                return;
            }
        }

        connection.Outbox.RespondError(header.RequestId, ErrorCode.WrongRole,
            $"{settings.Id} is a {RoleName} node and does not serve {header.Type}");
    }

    public void OnClosed(ServerConnection connection)
    {
        foreach (var service in _services)
        {
            service.OnClosed(connection);
        }
    }

    public void OnReadBatchEnd(ServerConnection connection)
    {
        foreach (var service in _services)
        {
            service.OnReadBatchEnd();
        }
    }

    public StatusResponse Status()
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var service in _services)
        {
            service.AddStatus(fields);
        }

        return new StatusResponse(RoleName, settings.Id, Version,
            (ulong)Stopwatch.GetElapsedTime(_started).TotalMilliseconds, (uint)registry.Count, fields);
    }

    private string RoleName => settings.Role.ToString().ToLowerInvariant();
}
