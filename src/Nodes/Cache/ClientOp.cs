namespace Sinkron.Nodes.Cache;

internal enum ClientOpKind : byte
{
    Get = 0,
    Put = 1,
    Delete = 2,
}

/// <summary>A client operation waiting at its line; <see cref="Value"/> is owned by the core.</summary>
internal readonly record struct ClientOp(ClientOpKind Kind, ulong RequestId, byte[]? Value)
{
    public bool IsWrite => Kind != ClientOpKind.Get;
}
