namespace Sinkron.Wire.Transport;

/// <summary>How a client connection behaves.</summary>
public sealed class WireClientOptions
{
    /// <summary>A request without an answer after this long fails with TIMEOUT.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time allowed for TCP connect, TLS and HELLO.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A PING is sent after this long without traffic, keeping the node's idle timer at bay.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Largest frame accepted from the node.</summary>
    public int MaxFrameBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// Run response continuations on the connection's read loop instead of the thread pool.
    /// Faster (no thread hop per response), but code that blocks inside a continuation then
    /// stalls every request on the connection. Off by default; benchmarks turn it on.
    /// </summary>
    public bool InlineCompletions { get; set; }

    /// <summary>First delay before reconnecting after a failure; it doubles up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Longest delay between reconnect attempts.</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(2);
}
