using System.Buffers;
using System.Collections.Concurrent;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Sinkron.Nodes.Queues.Resp;
using Sinkron.Wire.Transport;

namespace Sinkron.Nodes.Queues;

/// <summary>
/// The produce path's own connection to one Redis node: a batch of produces goes out as pipelined XADDs in one
/// socket write, and the replies are matched to them in order on the receive loop, which answers the clients
/// right there (one cork per read, so each client connection gets one write). StackExchange.Redis serves every
/// other command; on this path its writer, reader and task completions cost three thread hops per batch and a
/// third of the router's CPU, and its alternative, one script per batch, costs Redis ~3.6 µs of Lua per message.
/// <para>
/// <c>[Socket] &lt;= TrySend (caller's thread, under a lock) / receive loop =&gt; PendingProduce.Complete</c>.
/// When the connection fails, every produce in flight fails (the client may retry; at-least-once allows the
/// duplicate if Redis had added it), new ones are refused until it is back, and it reconnects with backoff.
/// </para>
/// </summary>
internal sealed partial class StreamAppendPipe : IAsyncDisposable
{
    private const int ReceiveBytes = 64 * 1024;

    /// <summary>A batch bigger than this goes out in several writes, so the buffer stays small.</summary>
    private const int SendChunkBytes = 256 * 1024;

    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(2);

    private readonly WireEndpoint _endpoint;
    private readonly string _nodeId;
    private readonly ILogger _logger;
    private readonly Lock _sendGate = new();
    private readonly ArrayBufferWriter<byte> _output = new(16 * 1024);
    private readonly ConcurrentQueue<PendingProduce> _inFlight = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;
    private Socket? _socket;

    public StreamAppendPipe(string nodeId, WireEndpoint endpoint, ILogger logger)
    {
        _nodeId = nodeId;
        _endpoint = endpoint;
        _logger = logger;
        _run = Task.Run(RunAsync);
    }

    public bool IsConnected => Volatile.Read(ref _socket) is not null;

    /// <summary>
    /// Writes the batch's XADDs and queues its produces for their replies; false, with nothing sent, while the
    /// connection is down. A write that fails closes the socket: the receive loop then fails what is in flight.
    /// The write is synchronous: with one batch in flight per node it waits only for a batch bigger than the
    /// socket's buffer, and gives up after the send timeout.
    /// </summary>
    public bool TrySend(List<PendingProduce> batch)
    {
        lock (_sendGate)
        {
            var socket = _socket;
            if (socket is null)
            {
                return false;
            }

            try
            {
                foreach (var pending in batch)
                {
                    _inFlight.Enqueue(pending);
                }

                foreach (var pending in batch)
                {
                    foreach (var body in pending.Request.Bodies)
                    {
                        RespXAdd.Write(_output, QueueKeys.StreamPrefix, pending.Request.Queue, QueueKeys.BodyField, body.Span);
                        if (_output.WrittenCount >= SendChunkBytes)
                        {
                            SendOutput(socket);
                        }
                    }
                }

                SendOutput(socket);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                socket.Dispose();
            }
            finally
            {
                _output.ResetWrittenCount();
            }

            return true;
        }
    }

    private void SendOutput(Socket socket)
    {
        var data = _output.WrittenSpan;
        while (!data.IsEmpty)
        {
            data = data[socket.Send(data)..];
        }

        _output.ResetWrittenCount();
    }

    private async Task RunAsync()
    {
        var retry = FirstRetry;
        var wasDown = false;
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await ConnectAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException)
            {
                if (!wasDown)
                {
                    Down(_logger, _nodeId, ex.Message);
                    wasDown = true;
                }

                try
                {
                    await Task.Delay(retry, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
                continue;
            }

            if (wasDown)
            {
                Up(_logger, _nodeId);
                wasDown = false;
            }

            retry = FirstRetry;
            Volatile.Write(ref _socket, socket);
            var error = await ReceiveAsync(socket).ConfigureAwait(false);
            lock (_sendGate)
            {
                _socket = null;
            }

            socket.Dispose();
            FailInFlight(error);
            if (!_stop.IsCancellationRequested)
            {
                Down(_logger, _nodeId, error.Message);
                wasDown = true;
            }
        }
    }

    private async Task<Socket> ConnectAsync()
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, SendTimeout = 5000 };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await socket.ConnectAsync(_endpoint.Host, _endpoint.Port, timeout.Token).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Reads replies until the connection ends; returns why it ended.</summary>
    private async Task<Exception> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[ReceiveBytes];
        var filled = 0;
        try
        {
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, _stop.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    return new IOException($"Redis node {_nodeId} closed the connection");
                }

                filled += read;
                var used = AnswerReplies(buffer.AsSpan(0, filled));
                buffer.AsSpan(used, filled - used).CopyTo(buffer);
                filled -= used;
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Whatever ended the loop (the socket, a reply that makes no sense, or a bug answering a client), the
            // connection can no longer say which reply belongs to which produce: it is dropped and made again.
            return ex is OperationCanceledException ? new IOException("the router is stopping") : ex;
        }
    }

    /// <summary>Matches each whole reply in <paramref name="data"/> to the oldest produce in flight; returns the bytes used.</summary>
    private int AnswerReplies(ReadOnlySpan<byte> data)
    {
        var used = 0;
        FrameOutbox.Cork();
        try
        {
            while (RespReply.TryParse(data[used..], out var reply, out var consumed))
            {
                used += consumed;
                if (!_inFlight.TryPeek(out var head))
                {
                    throw new InvalidDataException($"Redis node {_nodeId} sent a reply to no command");
                }

                if (head.Accept(reply))
                {
                    _inFlight.TryDequeue(out _);
                    head.Complete();
                }
            }
        }
        finally
        {
            FrameOutbox.Uncork();
        }

        return used;
    }

    private void FailInFlight(Exception error)
    {
        FrameOutbox.Cork();
        try
        {
            while (_inFlight.TryDequeue(out var pending))
            {
                pending.Fail(error);
                pending.Complete();
            }
        }
        finally
        {
            FrameOutbox.Uncork();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        lock (_sendGate)
        {
            _socket?.Dispose();
        }

        await _run.ConfigureAwait(false);
        _stop.Dispose();
    }

    [LoggerMessage(104, LogLevel.Warning, "produce connection to Redis node {Node} is down ({Reason}); reconnecting")]
    private static partial void Down(ILogger logger, string node, string reason);

    [LoggerMessage(105, LogLevel.Information, "produce connection to Redis node {Node} is back")]
    private static partial void Up(ILogger logger, string node);
}
