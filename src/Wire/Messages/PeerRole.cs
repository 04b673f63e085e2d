namespace Sinkron.Wire.Messages;

/// <summary>The role a certificate grants. Node-only messages need <see cref="Node"/>; admin operations need <see cref="Admin"/>.</summary>
public enum PeerRole : byte
{
    /// <summary>No recognised role; nothing is allowed.</summary>
    None = 0,

    /// <summary>A cluster node: node-to-node and client messages.</summary>
    Node = 1,

    /// <summary>An application: client messages only.</summary>
    Client = 2,

    /// <summary>An operator: client and admin messages.</summary>
    Admin = 3,
}
