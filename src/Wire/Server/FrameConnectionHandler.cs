using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Sinkron.Wire.Framing;
using Sinkron.Wire.Messages;
using Sinkron.Wire.Tls;
using Sinkron.Wire.Transport;

namespace Sinkron.Wire.Server;

/// <summary>
/// Kestrel's terminal handler for Sinkron connections, after TLS:
/// [Socket] &lt;= [Kestrel transport] &lt;= [TLS middleware] &lt;= [this read loop | FrameOutbox writer loop].
/// It enforces HELLO first, the frame size cap, known types and per-role authorization,
/// answers PING itself, and hands everything else to the service's <see cref="IFrameHandler"/>.
/// </summary>
public sealed class FrameConnectionHandler(
    IFrameHandler handler,
    IWireObserver observer,
    WireServerOptions options,
    ConnectionRegistry registry) : ConnectionHandler
{
    /// <inheritdoc />
    public override async Task OnConnectedAsync(ConnectionContext context)
    {
        var certificate = context.Features.Get<ITlsConnectionFeature>()?.ClientCertificate;
        var identity = CertificateIdentity.From(certificate);
        var remote = context.RemoteEndPoint?.ToString() ?? "unknown";
        if (identity.Role == PeerRole.None)
        {
            await RefuseAsync(context, remote, identity, ErrorCode.AuthenticationFailed, "the certificate names no Sinkron role (OU=node|client|admin)");
            return;
        }

        var connection = new ServerConnection(context, identity);
        if (!registry.TryAdd(connection, options.MaxConnections))
        {
            await RefuseAsync(context, remote, identity, ErrorCode.TooManyConnections, $"the node is at its limit of {options.MaxConnections} connections");
            return;
        }

        observer.ConnectionOpened(connection);
        var writer = connection.Outbox.RunAsync(context.Transport.Output, CancellationToken.None);
        try
        {
            await ReadLoopAsync(connection, context.Transport.Input);
        }
        catch (Exception ex) when (ex is ConnectionResetException or ConnectionAbortedException or IOException or OperationCanceledException)
        {
            // The peer went away or the idle sweeper aborted us: nothing to answer.
        }
        finally
        {
            connection.Outbox.Complete();
            try
            {
                await writer;
            }
            catch (Exception ex) when (ex is ConnectionResetException or ConnectionAbortedException or IOException or OperationCanceledException or InvalidOperationException)
            {
            }

            registry.Remove(connection);
            handler.OnClosed(connection);
            observer.ConnectionClosed(connection);
            connection.Outbox.Dispose();
        }
    }

    /// <summary>
    /// Reads and dispatches frames. A batch is every byte that has already arrived, not one read: the TLS
    /// layer hands over at most a 4 KiB buffer per read, so a follower that gets two Raft appends at once
    /// would otherwise persist and fsync them in two passes instead of one.
    /// </summary>
    private async Task ReadLoopAsync(ServerConnection connection, PipeReader input)
    {
        var helloDone = false;
        var batchFrames = 0;
        var batchBytes = 0L;
        var result = await input.ReadAsync();
        while (true)
        {
            var buffer = result.Buffer;
            connection.Touch();
            var frames = DispatchAll(connection, ref buffer, ref helloDone);
            batchBytes += result.Buffer.Length - buffer.Length;
            if (result.IsCompleted && !connection.IsFailed && !buffer.IsEmpty)
            {
                Fail(connection, 0, ErrorCode.BadFrame, $"the connection ended inside a frame ({buffer.Length} bytes of a partial frame)");
            }

            input.AdvanceTo(buffer.Start, buffer.End);
            observer.FramesReceived(frames);
            batchFrames += frames;
            var done = connection.IsFailed || result.IsCompleted;
            var next = done ? default : input.ReadAsync();
            if (!done && next.IsCompleted && batchBytes < MaxBatchBytes)
            {
                result = next.Result;
                continue;
            }

            connection.Outbox.Flush();
            if (batchFrames > 0 && !connection.IsFailed)
            {
                handler.OnReadBatchEnd(connection);
            }

            if (done)
            {
                return;
            }

            (batchFrames, batchBytes) = (0, 0);
            result = await next;
        }
    }

    /// <summary>A batch ends after this many bytes of whole frames even while more keep arriving, so its answers are not held back.</summary>
    private const long MaxBatchBytes = 256 * 1024;

    /// <summary>Dispatches the whole frames in <paramref name="buffer"/> and leaves it at the first partial one.</summary>
    private int DispatchAll(ServerConnection connection, ref ReadOnlySequence<byte> buffer, ref bool helloDone)
    {
        var frames = 0;

        // Flushes that handlers ask for while frames are dispatched (answers and forwarded frames to
        // other connections, say cache bus messages) leave once, at the end.
        FrameOutbox.Cork();
        try
        {
            while (!connection.IsFailed)
            {
                var status = FrameParser.TryParse(ref buffer, options.MaxFrameBytes, out var header, out var payload, out var error);
                if (status != ParseStatus.Complete)
                {
                    if (status == ParseStatus.Invalid)
                    {
                        Fail(connection, 0, error, error == ErrorCode.FrameTooLarge
                            ? $"frame length {(uint)header.Length} is above this node's limit of {options.MaxFrameBytes} bytes"
                            : $"frame length {(uint)header.Length} is below the {FrameHeader.Size}-byte header");
                    }

                    return frames;
                }

                frames++;
                if (!helloDone)
                {
                    helloDone = OnHello(connection, header, payload);
                    continue;
                }

                Dispatch(connection, header, payload);
            }

            return frames;
        }
        finally
        {
            FrameOutbox.Uncork();
        }
    }

    private bool OnHello(ServerConnection connection, in FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        if (header.Type != MessageType.Hello)
        {
            Fail(connection, header.RequestId, ErrorCode.HelloRequired, $"the first frame must be HELLO, not type 0x{(ushort)header.Type:x4}");
            return false;
        }

        if (!Hello.TryRead(payload, out var hello))
        {
            Fail(connection, header.RequestId, ErrorCode.BadPayload, "HELLO payload is malformed");
            return false;
        }

        if (hello.Version != Hello.CurrentVersion)
        {
            Fail(connection, header.RequestId, ErrorCode.VersionMismatch, $"this node speaks protocol version {Hello.CurrentVersion}; the peer sent version {hello.Version}");
            return false;
        }

        connection.PeerNodeId = hello.NodeId;
        connection.Outbox.Respond(header.RequestId, new Hello(Hello.CurrentVersion, PeerRole.Node, options.NodeId));
        return true;
    }

    private void Dispatch(ServerConnection connection, in FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        if (!MessageAccess.IsKnown(header.Type) || header.IsResponse)
        {
            Fail(connection, header.RequestId, ErrorCode.UnknownType, $"unknown or unexpected frame type 0x{(ushort)header.Type:x4}");
            return;
        }

        if (!MessageAccess.IsAllowed(header.Type, connection.Identity.Role))
        {
            Fail(connection, header.RequestId, ErrorCode.Forbidden,
                $"{header.Type} needs a {CertificateIdentity.RoleUnit(MessageAccess.RequiredRole(header.Type))} certificate; '{connection.Identity.Name}' is a {connection.Identity.Role} certificate");
            return;
        }

        if (header.Type == MessageType.Ping)
        {
            if (Ping.TryRead(payload, out var ping))
            {
                connection.Outbox.Respond(header.RequestId, ping);
            }
            else
            {
                Fail(connection, header.RequestId, ErrorCode.BadPayload, "PING payload must be one u64 token");
            }

            return;
        }

        handler.OnFrame(connection, header, payload);
    }

    private void Fail(ServerConnection connection, ulong requestId, ErrorCode code, string reason)
    {
        observer.ProtocolError(connection, code, reason);
        connection.Fail(requestId, code, reason);
    }

    private async Task RefuseAsync(ConnectionContext context, string remote, CertificateIdentity identity, ErrorCode code, string reason)
    {
        observer.ConnectionRefused(remote, identity.Subject, code, reason);
        var buffer = new ArrayBufferWriter<byte>();
        FrameWriter.WriteError(buffer, 0, code, reason);
        try
        {
            await context.Transport.Output.WriteAsync(buffer.WrittenMemory);
        }
        catch (Exception ex) when (ex is IOException or ConnectionResetException or ConnectionAbortedException)
        {
        }
    }
}
