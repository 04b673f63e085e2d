namespace Sinkron.Wire.Messages;

/// <summary>
/// Every frame type on the wire. Ranges group a service's messages:
/// 0x00xx connection, 0x01xx Raft (node only), 0x02xx locks, 0x03xx queues,
/// 0x04xx cache client, 0x05xx cache bus (node only), 0x0Fxx admin.
/// A response carries the request's type with <see cref="Framing.FrameFlags.Response"/>,
/// or <see cref="Error"/>.
/// </summary>
public enum MessageType : ushort
{
    /// <summary>First frame each way: protocol version, role, node id.</summary>
    Hello = 0x0001,

    /// <summary>A failed request, or a protocol violation before a close.</summary>
    Error = 0x0002,

    /// <summary>Liveness and round-trip check; the reply is an empty Ping response.</summary>
    Ping = 0x0003,

    /// <summary>Node status: role, id, version, uptime, connections, service fields.</summary>
    Status = 0x0004,

    /// <summary>A Raft message between lock nodes.</summary>
    Raft = 0x0100,

    /// <summary>Open a lock session with a TTL.</summary>
    LockOpenSession = 0x0201,

    /// <summary>Renew a lock session's lease.</summary>
    LockKeepAlive = 0x0202,

    /// <summary>Close a session, releasing its locks.</summary>
    LockCloseSession = 0x0203,

    /// <summary>Acquire a lock (blocking with a wait timeout, or try).</summary>
    LockAcquire = 0x0204,

    /// <summary>Release a held lock.</summary>
    LockRelease = 0x0205,

    /// <summary>List locks with holders and waiters.</summary>
    LockList = 0x0206,

    /// <summary>Append messages to a queue.</summary>
    QueueProduce = 0x0301,

    /// <summary>Create a consumer group.</summary>
    QueueCreateGroup = 0x0302,

    /// <summary>Read messages for a consumer (long poll).</summary>
    QueueConsume = 0x0303,

    /// <summary>Acknowledge messages.</summary>
    QueueAck = 0x0304,

    /// <summary>Release messages for redelivery now.</summary>
    QueueNack = 0x0305,

    /// <summary>Queue and Redis node statistics.</summary>
    QueueStats = 0x0306,

    /// <summary>Move dead letters back to their queue.</summary>
    QueueRedrive = 0x0307,

    /// <summary>Read a cache key.</summary>
    CacheGet = 0x0401,

    /// <summary>Write a cache key.</summary>
    CachePut = 0x0402,

    /// <summary>Delete a cache key.</summary>
    CacheDelete = 0x0403,

    /// <summary>Cache metrics.</summary>
    CacheStats = 0x0404,

    /// <summary>A MESI bus message between cache nodes.</summary>
    CacheBus = 0x0500,
}
