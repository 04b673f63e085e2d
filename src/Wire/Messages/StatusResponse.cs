using System.Buffers;

namespace Sinkron.Wire.Messages;

/// <summary>
/// <c>string role | string node id | string version | u64 uptime ms | u32 connections |
/// u16 field count | (string key | string value)*</c>. Services add their own fields
/// (Raft term and commit index, Redis health, cache line counts) as key/value pairs so
/// the layout never changes when a service grows.
/// </summary>
public sealed record StatusResponse(
    string Role,
    string NodeId,
    string Version,
    ulong UptimeMs,
    uint Connections,
    IReadOnlyList<KeyValuePair<string, string>> Fields) : IWireMessage<StatusResponse>
{
    /// <inheritdoc />
    public static MessageType Type => MessageType.Status;

    /// <summary>The value of a service field, or null when absent.</summary>
    public string? Field(string key)
    {
        foreach (var pair in Fields)
        {
            if (pair.Key == key)
            {
                return pair.Value;
            }
        }

        return null;
    }

    /// <inheritdoc />
    public int GetPayloadSize()
    {
        var size = WireSize.String(Role) + WireSize.String(NodeId) + WireSize.String(Version) + 8 + 4 + 2;
        foreach (var pair in Fields)
        {
            size += WireSize.String(pair.Key) + WireSize.String(pair.Value);
        }

        return size;
    }

    /// <inheritdoc />
    public void WritePayload(Span<byte> destination)
    {
        var w = new SpanWriter(destination);
        w.WriteString(Role);
        w.WriteString(NodeId);
        w.WriteString(Version);
        w.WriteU64(UptimeMs);
        w.WriteU32(Connections);
        w.WriteU16((ushort)Fields.Count);
        foreach (var pair in Fields)
        {
            w.WriteString(pair.Key);
            w.WriteString(pair.Value);
        }
    }

    /// <inheritdoc />
    public static bool TryRead(ReadOnlySequence<byte> payload, out StatusResponse message)
    {
        var r = new SequenceReader<byte>(payload);
        message = null!;
        if (!WireReader.TryReadString(ref r, out var role) || !WireReader.TryReadString(ref r, out var nodeId)
            || !WireReader.TryReadString(ref r, out var version) || !WireReader.TryReadU64(ref r, out var uptime)
            || !WireReader.TryReadU32(ref r, out var connections) || !WireReader.TryReadU16(ref r, out var count))
        {
            return false;
        }

        var fields = new List<KeyValuePair<string, string>>(count);
        for (var i = 0; i < count; i++)
        {
            if (!WireReader.TryReadString(ref r, out var key) || !WireReader.TryReadString(ref r, out var value))
            {
                return false;
            }

            fields.Add(new(key, value));
        }

        if (!r.End)
        {
            return false;
        }

        message = new StatusResponse(role, nodeId, version, uptime, connections, fields);
        return true;
    }
}
