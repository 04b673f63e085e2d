namespace Sinkron.Wire.Server;

/// <summary>Limits and identity of a node's listener.</summary>
public sealed class WireServerOptions
{
    /// <summary>This node's id, sent in HELLO.</summary>
    public string NodeId { get; set; } = "node";

    /// <summary>Largest frame accepted, header included; larger ones close the connection.</summary>
    public int MaxFrameBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Connections that send nothing for this long are closed; clients heartbeat well within it.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Connections beyond this count are refused with TOO_MANY_CONNECTIONS.</summary>
    public int MaxConnections { get; set; } = 4096;
}
