using Sinkron.Wire.Messages;
using Sinkron.Wire.Tls;

namespace Sinkron.Wire.Transport;

/// <summary>
/// A long-lived path to one node: it connects on first use, and after a failure reconnects
/// with exponential backoff (a request during the backoff fails fast with UNAVAILABLE rather
/// than hammering a dead node). Requests in flight when a connection dies fail with
/// CONNECTION_CLOSED; whether to retry is the caller's decision, since only it knows whether
/// the request is safe to repeat.
/// </summary>
public sealed class WireChannel(WireEndpoint endpoint, TlsMaterial tls, WireClientOptions options, string selfNodeId = "") : IAsyncDisposable
{
    private readonly SemaphoreSlim _connectGate = new(1, 1);
    private WireConnection? _connection;
    private TimeSpan _backoff = TimeSpan.Zero;
    private long _retryAfterTicks;
    private SinkronException? _lastFailure;
    private bool _disposed;

    /// <summary>The node this channel reaches.</summary>
    public WireEndpoint Endpoint => endpoint;

    /// <summary>The current open connection, connecting first when there is none.</summary>
    public ValueTask<WireConnection> GetConnectionAsync(CancellationToken cancellationToken = default)
    {
        var current = Volatile.Read(ref _connection);
        return current is { IsClosed: false } ? ValueTask.FromResult(current) : new ValueTask<WireConnection>(ConnectAsync(cancellationToken));
    }

    /// <summary>Sends a request on the current connection.</summary>
    public ValueTask<TResponse> SendAsync<TRequest, TResponse>(TRequest request, CancellationToken cancellationToken = default)
        where TRequest : IWireMessage<TRequest>
        where TResponse : IWireMessage<TResponse>
        => SendAsync<TRequest, TResponse>(TRequest.Type, request, cancellationToken);

    /// <summary>Sends a request as frame <paramref name="type"/> on the current connection.</summary>
    public async ValueTask<TResponse> SendAsync<TRequest, TResponse>(MessageType type, TRequest request, CancellationToken cancellationToken = default)
        where TRequest : IWireMessage<TRequest>
        where TResponse : IWireMessage<TResponse>
    {
        var connection = await GetConnectionAsync(cancellationToken);
        return await connection.SendAsync<TRequest, TResponse>(type, request, cancellationToken);
    }

    private async Task<WireConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        await _connectGate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var current = _connection;
            if (current is { IsClosed: false })
            {
                return current;
            }

            if (current is not null)
            {
                await current.DisposeAsync();
                _connection = null;
            }

            if (Environment.TickCount64 < _retryAfterTicks && _lastFailure is not null)
            {
                throw new SinkronException(ErrorCode.Unavailable, $"{endpoint} is unreachable (retrying in the background): {_lastFailure.Message}", inner: _lastFailure);
            }

            try
            {
                var connection = await WireConnection.ConnectAsync(endpoint, tls, options, selfNodeId, cancellationToken);
                _backoff = TimeSpan.Zero;
                _lastFailure = null;
                Volatile.Write(ref _connection, connection);
                return connection;
            }
            catch (SinkronException ex) when (ex.Code is not ErrorCode.AuthenticationFailed)
            {
                _backoff = _backoff == TimeSpan.Zero ? options.ReconnectDelay : TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, options.MaxReconnectDelay.Ticks));
                _retryAfterTicks = Environment.TickCount64 + (long)_backoff.TotalMilliseconds;
                _lastFailure = ex;
                throw;
            }
        }
        finally
        {
            _connectGate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _connectGate.WaitAsync();
        try
        {
            _disposed = true;
            if (_connection is not null)
            {
                await _connection.DisposeAsync();
                _connection = null;
            }
        }
        finally
        {
            _connectGate.Release();
        }
    }
}
