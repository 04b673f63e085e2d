using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Sinkron.Wire.Framing;
using Sinkron.Wire.Messages;
using Sinkron.Wire.Tls;

namespace Sinkron.Wire.Transport;

/// <summary>
/// One client connection to a node:
/// [Socket] &lt;= [NetworkStream] &lt;= [SslStream] &lt;= [PipeReader | FrameOutbox → PipeWriter].
/// Many requests are multiplexed by request id and may be answered out of order; one writer
/// loop coalesces queued frames into one flush; a timer fails requests past their deadline
/// and sends heartbeats. A connection that fails is not reused: see <see cref="WireChannel"/>.
/// </summary>
public sealed class WireConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly SslStream _stream;
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly FrameOutbox _outbox = new();
    private readonly WireClientOptions _options;
    private readonly Dictionary<ulong, PendingRequest> _pending = [];
    private readonly Lock _pendingGate = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly Timer _timer;
    private Task _reader = Task.CompletedTask;
    private Task _writer = Task.CompletedTask;
    private long _nextRequestId;
    private long _lastSendTicks = Environment.TickCount64;
    private Exception? _closedReason;

    private WireConnection(Socket socket, SslStream stream, WireClientOptions options, WireEndpoint endpoint)
    {
        _socket = socket;
        _stream = stream;
        _options = options;
        Endpoint = endpoint;
        _input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 4096));
        _output = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 64 * 1024));
        _timer = new Timer(static state => ((WireConnection)state!).OnTimer(), this, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>The node this connection reaches.</summary>
    public WireEndpoint Endpoint { get; }

    /// <summary>The node id the node sent in its HELLO.</summary>
    public string RemoteNodeId { get; private set; } = "";

    /// <summary>True once the connection failed or was disposed; it is not reused.</summary>
    public bool IsClosed => Volatile.Read(ref _closedReason) is not null;

    /// <summary>
    /// Cancelled when the connection fails or is closed, so a long-lived user (a node's link to a
    /// peer) learns of the loss at once instead of on its next send. Read it before disposing.
    /// </summary>
    public CancellationToken Closing => _closing.Token;

    /// <summary>
    /// Receives frames the node sends without a request (node-to-node traffic). Called on the
    /// read loop; the payload is valid only during the call.
    /// </summary>
    public Action<FrameHeader, ReadOnlySequence<byte>>? UnsolicitedFrame { get; set; }

    /// <summary>Connects, completes mutual TLS and exchanges HELLO.</summary>
    /// <exception cref="SinkronException">The node refused the certificate, or could not be reached.</exception>
    public static async Task<WireConnection> ConnectAsync(
        WireEndpoint endpoint, TlsMaterial tls, WireClientOptions options, string selfNodeId = "", CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        SslStream? ssl = null;
        try
        {
            await socket.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token);
            ssl = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
            await ssl.AuthenticateAsClientAsync(TlsPolicy.ClientOptions(tls, endpoint.Host), timeout.Token);
            var connection = new WireConnection(socket, ssl, options, endpoint);
            await connection.HandshakeAsync(tls, selfNodeId, timeout.Token);
            return connection;
        }
        catch (Exception ex) when (ex is not SinkronException)
        {
            if (ssl is not null)
            {
                await ssl.DisposeAsync();
            }

            socket.Dispose();
            throw ex switch
            {
                AuthenticationException => new SinkronException(ErrorCode.AuthenticationFailed,
                    $"TLS with {endpoint} failed: {ex.Message} Check that the node's certificate comes from the cluster CA in your certificate folder.", inner: ex),
                OperationCanceledException when !cancellationToken.IsCancellationRequested => new SinkronException(ErrorCode.Timeout,
                    $"connecting to {endpoint} took longer than {options.ConnectTimeout.TotalSeconds:0.#} s", inner: ex),
                SocketException se => new SinkronException(ErrorCode.Unavailable, $"cannot reach {endpoint}: {se.Message}", inner: ex),

                // Reset mid-handshake: the node (or a proxy in front of it) died or turned us away at the TCP level.
                IOException => new SinkronException(ErrorCode.Unavailable, $"cannot reach {endpoint}: the connection broke during the TLS handshake ({ex.Message})", inner: ex),
                _ => ex,
            };
        }
    }

    private async Task HandshakeAsync(TlsMaterial tls, string selfNodeId, CancellationToken cancellationToken)
    {
        var identity = CertificateIdentity.From(tls.Certificate);
        FrameWriter.Write(_output, 0, FrameFlags.None, new Hello(Hello.CurrentVersion, identity.Role, selfNodeId));
        await _output.FlushAsync(cancellationToken);
        while (true)
        {
            ReadResult result;
            try
            {
                result = await _input.ReadAsync(cancellationToken);
            }
            catch (IOException ex)
            {
                throw Refused(identity, ex);
            }

            var buffer = result.Buffer;
            var status = FrameParser.TryParse(ref buffer, _options.MaxFrameBytes, out var header, out var payload, out _);
            if (status == ParseStatus.Complete)
            {
                try
                {
                    if (header.Type == MessageType.Error && ErrorMessage.TryRead(payload, out var error))
                    {
                        throw SinkronException.From(error);
                    }

                    if (header.Type != MessageType.Hello || !Hello.TryRead(payload, out var hello))
                    {
                        throw new SinkronException(ErrorCode.BadPayload, $"{Endpoint} did not answer HELLO; is it a Sinkron node?");
                    }

                    RemoteNodeId = hello.NodeId;
                }
                finally
                {
                    _input.AdvanceTo(buffer.Start);
                }

                break;
            }

            if (status == ParseStatus.Invalid || result.IsCompleted)
            {
                _input.AdvanceTo(buffer.Start, buffer.End);
                throw Refused(identity, null);
            }

            _input.AdvanceTo(buffer.Start, buffer.End);
        }

        _reader = Task.Run(ReadLoopAsync, CancellationToken.None);
        _writer = _outbox.RunAsync(_output, _closing.Token);
        var period = TimeSpan.FromMilliseconds(Math.Clamp(_options.RequestTimeout.TotalMilliseconds / 10, 20, 250));
        _timer.Change(period, period);
    }

    // Under TLS 1.3 a refused client certificate does not fail the client's handshake call;
    // the node just closes. Say what that almost always means.
    private SinkronException Refused(CertificateIdentity identity, Exception? inner) => new(
        ErrorCode.AuthenticationFailed,
        $"{Endpoint} closed the connection before its first reply: it refused this client's certificate '{identity.Name}'. " +
        "Use a certificate made by the cluster's certgen (same ca.crt as the node) with a role of node, client or admin.",
        inner: inner);

    /// <summary>Sends a request and awaits its typed response.</summary>
    /// <exception cref="SinkronException">The node answered with an error, or the request timed out or the connection failed.</exception>
    public ValueTask<TResponse> SendAsync<TRequest, TResponse>(in TRequest request, CancellationToken cancellationToken = default)
        where TRequest : IWireMessage<TRequest>
        where TResponse : IWireMessage<TResponse>
        => SendAsync<TRequest, TResponse>(TRequest.Type, request, cancellationToken);

    /// <summary>
    /// Sends a request as frame <paramref name="type"/> (for types sharing a payload layout) and awaits its response.
    /// <paramref name="timeout"/> replaces the connection's request timeout for requests that legitimately wait (long polls).
    /// </summary>
    /// <exception cref="SinkronException">The node answered with an error, or the request timed out or the connection failed.</exception>
    public ValueTask<TResponse> SendAsync<TRequest, TResponse>(MessageType type, in TRequest request, CancellationToken cancellationToken = default, TimeSpan? timeout = null)
        where TRequest : IWireMessage<TRequest>
        where TResponse : IWireMessage<TResponse>
    {
        var reason = Volatile.Read(ref _closedReason);
        if (reason is not null)
        {
            return ValueTask.FromException<TResponse>(Closed(reason));
        }

        var id = (ulong)Interlocked.Increment(ref _nextRequestId);
        var pending = PendingRequest<TResponse>.Rent(_options.InlineCompletions);
        pending.DeadlineTicks = Environment.TickCount64 + (long)(timeout ?? _options.RequestTimeout).TotalMilliseconds;
        pending.RequestType = type;
        var task = pending.Task;
        lock (_pendingGate)
        {
            _pending.Add(id, pending);
        }

        if (cancellationToken.CanBeCanceled)
        {
            pending.Cancellation = cancellationToken.Register(static state =>
            {
                var (connection, requestId) = ((WireConnection, ulong))state!;
                connection.FailPending(requestId, new OperationCanceledException());
            }, (this, id));
        }

        _outbox.Write(type, id, FrameFlags.None, request);
        Volatile.Write(ref _lastSendTicks, Environment.TickCount64);
        _outbox.Flush();
        return task;
    }

    /// <summary>Sends a frame that expects no response (node-to-node messages).</summary>
    public void Post<T>(in T message) where T : IWireMessage<T>
    {
        _outbox.Write(0, FrameFlags.None, message);
        Volatile.Write(ref _lastSendTicks, Environment.TickCount64);
        _outbox.Flush();
    }

    /// <summary>The outbox, for streaming encoders that write whole frames themselves.</summary>
    public FrameOutbox Outbox => _outbox;

    private async Task ReadLoopAsync()
    {
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync(_closing.Token);
                var buffer = result.Buffer;
                FrameOutbox.Cork();
                try
                {
                    while (true)
                    {
                        var status = FrameParser.TryParse(ref buffer, _options.MaxFrameBytes, out var header, out var payload, out var error);
                        if (status == ParseStatus.Incomplete)
                        {
                            break;
                        }

                        if (status == ParseStatus.Invalid)
                        {
                            throw new SinkronException(error, $"{Endpoint} sent an invalid frame header ({error})");
                        }

                        OnFrame(header, payload);
                    }
                }
                finally
                {
                    FrameOutbox.Uncork();
                }

                _input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    throw new SinkronException(ErrorCode.ConnectionClosed, $"{Endpoint} closed the connection");
                }
            }
        }
        catch (Exception ex)
        {
            Close(ex is SinkronException ? ex : new SinkronException(ErrorCode.ConnectionClosed, $"connection to {Endpoint} failed: {ex.Message}", inner: ex));
        }
    }

    private void OnFrame(in FrameHeader header, in ReadOnlySequence<byte> payload)
    {
        if (!header.IsResponse)
        {
            UnsolicitedFrame?.Invoke(header, payload);
            return;
        }

        if (header.RequestId == 0 && header.Type == MessageType.Error && ErrorMessage.TryRead(payload, out var fatal))
        {
            throw SinkronException.From(fatal);
        }

        PendingRequest? pending;
        lock (_pendingGate)
        {
            _pending.Remove(header.RequestId, out pending);
        }

        pending?.Complete(header, payload);
    }

    private void FailPending(ulong requestId, Exception error)
    {
        PendingRequest? pending;
        lock (_pendingGate)
        {
            _pending.Remove(requestId, out pending);
        }

        pending?.Fail(error);
    }

    private void OnTimer()
    {
        var now = Environment.TickCount64;
        List<ulong>? expired = null;
        lock (_pendingGate)
        {
            foreach (var (id, pending) in _pending)
            {
                if (pending.DeadlineTicks <= now)
                {
                    (expired ??= []).Add(id);
                }
            }
        }

        if (expired is not null)
        {
            foreach (var id in expired)
            {
                FailPending(id, new SinkronException(ErrorCode.Timeout, $"no answer from {Endpoint} in time"));
            }
        }

        if (!IsClosed && now - Volatile.Read(ref _lastSendTicks) > (long)_options.HeartbeatInterval.TotalMilliseconds)
        {
            Post(new Ping(0));
        }
    }

    private void Close(Exception reason)
    {
        if (Interlocked.CompareExchange(ref _closedReason, reason, null) is not null)
        {
            return;
        }

        _timer.Change(Timeout.Infinite, Timeout.Infinite);
        _outbox.Complete();
        List<PendingRequest> failed;
        lock (_pendingGate)
        {
            failed = [.. _pending.Values];
            _pending.Clear();
        }

        foreach (var pending in failed)
        {
            pending.Fail(Closed(reason));
        }

        _closing.Cancel();
        _socket.Dispose();
    }

    private SinkronException Closed(Exception reason) => reason as SinkronException
        ?? new SinkronException(ErrorCode.ConnectionClosed, $"connection to {Endpoint} is closed", inner: reason);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Close(new SinkronException(ErrorCode.ConnectionClosed, $"connection to {Endpoint} was closed by this client"));
        await _timer.DisposeAsync();
        try
        {
            await _writer;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
        }

        try
        {
            await _reader;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }

        await _stream.DisposeAsync();
        _outbox.Dispose();
        _closing.Dispose();
    }
}
