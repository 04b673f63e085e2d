using System.Collections.Concurrent;

namespace Sinkron.Wire.Server;

/// <summary>
/// The live connections of a listener: enforces the connection cap and closes connections idle
/// beyond the timeout (Kestrel's HTTP timeouts do not apply to connection handlers).
/// </summary>
public sealed class ConnectionRegistry : IDisposable
{
    private readonly ConcurrentDictionary<ServerConnection, byte> _connections = new();
    private readonly Timer _sweeper;
    private readonly TimeSpan _idleTimeout;
    private int _count;

    /// <summary>Creates the registry and starts its idle sweep.</summary>
    public ConnectionRegistry(WireServerOptions options)
    {
        _idleTimeout = options.IdleTimeout;
        var period = TimeSpan.FromMilliseconds(Math.Clamp(_idleTimeout.TotalMilliseconds / 4, 50, 1000));
        _sweeper = new Timer(_ => Sweep(), null, period, period);
    }

    /// <summary>Live connections now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>A snapshot of the live connections.</summary>
    public ICollection<ServerConnection> Connections => _connections.Keys;

    internal bool TryAdd(ServerConnection connection, int limit)
    {
        if (Interlocked.Increment(ref _count) > limit)
        {
            Interlocked.Decrement(ref _count);
            return false;
        }

        _connections.TryAdd(connection, 0);
        return true;
    }

    internal void Remove(ServerConnection connection)
    {
        if (_connections.TryRemove(connection, out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    /// <summary>Closes every connection now: on shutdown, handlers must not keep the host waiting for peers to hang up.</summary>
    public void AbortAll()
    {
        foreach (var connection in _connections.Keys)
        {
            connection.Abort();
        }
    }

    private void Sweep()
    {
        var limit = (long)_idleTimeout.TotalMilliseconds;
        foreach (var connection in _connections.Keys)
        {
            if (connection.IdleMilliseconds > limit)
            {
                connection.Abort();
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _sweeper.Dispose();
}
