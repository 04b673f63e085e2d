using System.Buffers.Binary;
using Sinkron.Nodes.Raft;

namespace Sinkron.Tests.Raft.Simulation;

/// <summary>
/// The replicated state: the last applied index, a running hash of everything applied (so equal
/// hashes at an index mean equal histories) and the highest liveness marker seen.
/// </summary>
internal struct SimStateMachine
{
    public const ulong MarkerBit = 1UL << 63;
    private const int PaddingLength = 100;

    public ulong Index;
    public ulong Hash;
    public ulong MaxMarker;

    public void Apply(in LogEntry e)
    {
        var command = e.Data.Length == 8 ? BinaryPrimitives.ReadUInt64LittleEndian(e.Data.Span) : 0;
        if ((command & MarkerBit) != 0)
        {
            MaxMarker = Math.Max(MaxMarker, command & ~MarkerBit);
        }

        Index = e.Index;
        Hash = Mix(Mix(Hash, e.Index), command ^ ((ulong)e.Kind << 56));
    }

    /// <summary>Snapshot bytes: index, hash, marker, then padding derived from the hash so chunking is exercised and checked.</summary>
    public readonly byte[] Serialize()
    {
        var data = new byte[24 + PaddingLength];
        BinaryPrimitives.WriteUInt64LittleEndian(data, Index);
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(8), Hash);
        BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(16), MaxMarker);
        for (var i = 0; i < PaddingLength; i++)
        {
            data[24 + i] = (byte)(Hash >> (i % 8 * 8) ^ (ulong)i);
        }

        return data;
    }

    public static SimStateMachine Deserialize(ReadOnlySpan<byte> data)
    {
        if (data.Length == 0)
        {
            return default;
        }

        if (data.Length != 24 + PaddingLength)
        {
            throw new InvalidOperationException($"snapshot has {data.Length} bytes, expected {24 + PaddingLength}");
        }

        var sm = new SimStateMachine
        {
            Index = BinaryPrimitives.ReadUInt64LittleEndian(data),
            Hash = BinaryPrimitives.ReadUInt64LittleEndian(data[8..]),
            MaxMarker = BinaryPrimitives.ReadUInt64LittleEndian(data[16..]),
        };
        for (var i = 0; i < PaddingLength; i++)
        {
            if (data[24 + i] != (byte)(sm.Hash >> (i % 8 * 8) ^ (ulong)i))
            {
                throw new InvalidOperationException($"snapshot padding corrupt at byte {24 + i}");
            }
        }

        return sm;
    }

    private static ulong Mix(ulong h, ulong v)
    {
        h ^= v + 0x9E3779B97F4A7C15UL + (h << 6) + (h >> 2);
        h ^= h >> 31;
        h *= 0xBF58476D1CE4E5B9UL;
        return h ^ (h >> 29);
    }
}
