namespace Sinkron.Wire.Messages;

/// <summary>Which certificate roles may send which message types.</summary>
public static class MessageAccess
{
    /// <summary>True when a known message type is allowed from a peer with <paramref name="role"/>.</summary>
    public static bool IsAllowed(MessageType type, PeerRole role) => RequiredRole(type) switch
    {
        PeerRole.Node => role == PeerRole.Node,
        PeerRole.Admin => role == PeerRole.Admin,
        _ => role is PeerRole.Node or PeerRole.Client or PeerRole.Admin,
    };

    /// <summary>The role a message type needs: node-to-node traffic needs a node certificate.</summary>
    public static PeerRole RequiredRole(MessageType type) => type switch
    {
        MessageType.Raft or MessageType.CacheBus => PeerRole.Node,
        MessageType.QueueRedrive => PeerRole.Admin,
        _ => PeerRole.Client,
    };

    /// <summary>True for every type this protocol version defines.</summary>
    public static bool IsKnown(MessageType type) => Enum.IsDefined(type);
}
