namespace Sinkron.Wire.Messages;

/// <summary>Typed error codes carried by <see cref="MessageType.Error"/> frames.</summary>
public enum ErrorCode : ushort
{
    /// <summary>No error.</summary>
    None = 0,

    /// <summary>The frame header is malformed (length below the header size).</summary>
    BadFrame = 1,

    /// <summary>The frame's length is above the node's maximum.</summary>
    FrameTooLarge = 2,

    /// <summary>The frame type is not one this node knows.</summary>
    UnknownType = 3,

    /// <summary>The payload is shorter than its message needs, or malformed.</summary>
    BadPayload = 4,

    /// <summary>The peer speaks another protocol version.</summary>
    VersionMismatch = 5,

    /// <summary>A frame arrived before HELLO.</summary>
    HelloRequired = 6,

    /// <summary>The certificate's role may not send this message type.</summary>
    Forbidden = 7,

    /// <summary>The TLS handshake or certificate check failed.</summary>
    AuthenticationFailed = 8,

    /// <summary>The node is at its connection limit.</summary>
    TooManyConnections = 9,

    /// <summary>The request did not complete in time.</summary>
    Timeout = 10,

    /// <summary>The service or a node behind it is down; retry later.</summary>
    Unavailable = 11,

    /// <summary>This node is not the Raft leader; the hint names the leader.</summary>
    NotLeader = 12,

    /// <summary>An argument is missing or out of range.</summary>
    InvalidArgument = 13,

    /// <summary>The named thing does not exist.</summary>
    NotFound = 14,

    /// <summary>Granting the request would close a wait-for cycle.</summary>
    Deadlock = 15,

    /// <summary>The lock session expired or is unknown.</summary>
    SessionExpired = 16,

    /// <summary>The lock is not held by this session.</summary>
    NotHeld = 17,

    /// <summary>The connection was closed.</summary>
    ConnectionClosed = 18,

    /// <summary>The node's role does not serve this request.</summary>
    WrongRole = 19,

    /// <summary>An unexpected failure inside the node.</summary>
    Internal = 20,
}
