using System.Buffers;
using Sinkron.Wire.Messages;
using Sinkron.Wire.Messages.Locks;

namespace Sinkron.Nodes.Locks;

/// <summary>
/// Snapshot layout, little-endian: <c>u32 magic "SLT2" | u64 lastApplied | i64 nowMs</c>, then sessions sorted by
/// id (<c>u64 id | u64 clientId | i64 ttlMs | i64 deadlineMs | u64 staleBelow | u32 n | n × (u64 seq | result)</c>,
/// cached results sorted by seq), then locks sorted by name
/// (<c>name | u32 holders × (u64 session | u8 mode | u64 token) | u32 waiters × (u64 id | u64 session | u64 seq |
/// u8 mode | i64 deadlineMs)</c>); a result is <c>u8 status | u64 value | u32 n | n × u64 cycle</c>.
/// Sorting makes the bytes a function of the state alone, so equal tables give equal snapshots.
/// </summary>
internal sealed partial class LockTable
{
    private const uint SnapshotMagic = 0x3254_4C53;

    /// <summary>The fewest bytes a cached result takes in a snapshot: seq, status, value, cycle length.</summary>
    private const int MinCachedResultBytes = 8 + 1 + 8 + 4;

    public void WriteSnapshot(IBufferWriter<byte> writer)
    {
        LockBinary.WriteU32(writer, SnapshotMagic);
        LockBinary.WriteU64(writer, LastAppliedIndex);
        LockBinary.WriteI64(writer, NowMs);

        var ids = new ulong[sessions.Count];
        sessions.Keys.CopyTo(ids, 0);
        Array.Sort(ids);
        LockBinary.WriteU32(writer, (uint)ids.Length);
        foreach (var id in ids)
        {
            var session = sessions[id];
            LockBinary.WriteU64(writer, id);
            LockBinary.WriteU64(writer, session.ClientId);
            LockBinary.WriteI64(writer, session.TtlMs);
            LockBinary.WriteI64(writer, session.DeadlineMs);
            LockBinary.WriteU64(writer, session.StaleBelow);
            var window = session.Results;
            LockBinary.WriteU32(writer, (uint)window.Count);
            for (var i = 0; i < window.Count; i++)
            {
                var cached = window[i];
                LockBinary.WriteU64(writer, cached.Seq);
                WriteResult(writer, cached.Result);
            }
        }

        var names = new string[locks.Count];
        locks.Keys.CopyTo(names, 0);
        Array.Sort(names, StringComparer.Ordinal);
        LockBinary.WriteU32(writer, (uint)names.Length);
        foreach (var name in names)
        {
            var lockState = locks[name];
            LockBinary.WriteName(writer, name);
            LockBinary.WriteU32(writer, (uint)lockState.Holders.Count);
            foreach (var holder in lockState.Holders)
            {
                LockBinary.WriteU64(writer, holder.Session);
                LockBinary.WriteU8(writer, (byte)holder.Mode);
                LockBinary.WriteU64(writer, holder.Token);
            }

            LockBinary.WriteU32(writer, (uint)lockState.Queue.Count);
            foreach (var waiter in lockState.Queue)
            {
                LockBinary.WriteU64(writer, waiter.Id);
                LockBinary.WriteU64(writer, waiter.Session);
                LockBinary.WriteU64(writer, waiter.Seq);
                LockBinary.WriteU8(writer, (byte)waiter.Mode);
                LockBinary.WriteI64(writer, waiter.DeadlineMs);
            }
        }
    }

    public byte[] ToSnapshot()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        WriteSnapshot(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Rebuilds a table from <see cref="WriteSnapshot"/> output; InvalidDataException saying what is wrong otherwise.</summary>
    public static LockTable Restore(ReadOnlySequence<byte> snapshot)
    {
        var reader = new SequenceReader<byte>(snapshot);
        var table = new LockTable();
        if (!(WireReader.TryReadU32(ref reader, out var magic) && magic == SnapshotMagic))
        {
            throw Corrupt("not a lock table snapshot (bad magic)");
        }

        if (!(WireReader.TryReadU64(ref reader, out var lastApplied) && LockBinary.TryReadI64(ref reader, out var nowMs)))
        {
            throw Corrupt("truncated header");
        }

        table.LastAppliedIndex = lastApplied;
        table.NowMs = nowMs;

        Require(WireReader.TryReadU32(ref reader, out var sessionCount), "truncated session count");
        for (var i = 0u; i < sessionCount; i++)
        {
            table.RestoreSession(ref reader);
        }

        Require(WireReader.TryReadU32(ref reader, out var lockCount), "truncated lock count");
        for (var i = 0u; i < lockCount; i++)
        {
            table.RestoreLock(ref reader);
        }

        Require(reader.End, $"{reader.Remaining} unexpected bytes at the end");
        return table;
    }

    public static LockTable Restore(ReadOnlyMemory<byte> snapshot) => Restore(new ReadOnlySequence<byte>(snapshot));

    private void RestoreSession(ref SequenceReader<byte> reader)
    {
        if (!(WireReader.TryReadU64(ref reader, out var id) && WireReader.TryReadU64(ref reader, out var clientId)
            && LockBinary.TryReadI64(ref reader, out var ttlMs) && LockBinary.TryReadI64(ref reader, out var deadlineMs)
            && WireReader.TryReadU64(ref reader, out var staleBelow) && WireReader.TryReadU32(ref reader, out var cachedCount)))
        {
            throw Corrupt("truncated session");
        }

        Require(cachedCount <= reader.Remaining / MinCachedResultBytes, $"session {id}: truncated result window");
        var session = new SessionState(id, clientId, ttlMs, deadlineMs);
        session.RestoreWatermark(staleBelow);
        for (var i = 0u; i < cachedCount; i++)
        {
            if (!(WireReader.TryReadU64(ref reader, out var seq) && TryReadResult(ref reader, out var result)))
            {
                throw Corrupt($"session {id}: truncated result window");
            }

            Require(session.TryRestoreResult(seq, result), $"session {id}: cached seq {seq} out of order, below {staleBelow} or beyond the window");
        }

        Require(sessions.TryAdd(id, session), $"session {id} appears twice");
        sessionDeadlines.Add((deadlineMs, id));
        if (clientId != 0)
        {
            Require(sessionsByClient.TryAdd(clientId, id), $"client {clientId} owns two sessions");
        }
    }

    private void RestoreLock(ref SequenceReader<byte> reader)
    {
        Require(LockBinary.TryReadName(ref reader, out var name, out var error), error ?? "bad lock name");
        var lockState = new LockState(name);
        Require(locks.TryAdd(name, lockState), $"lock '{name}' appears twice");

        Require(WireReader.TryReadU32(ref reader, out var holderCount), "truncated holder count");
        for (var i = 0u; i < holderCount; i++)
        {
            if (!(WireReader.TryReadU64(ref reader, out var sessionId) && reader.TryRead(out var mode)
                && WireReader.TryReadU64(ref reader, out var token)))
            {
                throw Corrupt("truncated holder");
            }

            var session = SessionFor(sessionId, name);
            lockState.Holders.Add(new Holder(sessionId, ReadMode(mode), token));
            session.Held.Add(name);
        }

        Require(WireReader.TryReadU32(ref reader, out var waiterCount), "truncated waiter count");
        for (var i = 0u; i < waiterCount; i++)
        {
            if (!(WireReader.TryReadU64(ref reader, out var waitId) && WireReader.TryReadU64(ref reader, out var sessionId)
                && WireReader.TryReadU64(ref reader, out var seq) && reader.TryRead(out var mode)
                && LockBinary.TryReadI64(ref reader, out var deadlineMs)))
            {
                throw Corrupt("truncated waiter");
            }

            var waiter = new Waiter(waitId, sessionId, seq, ReadMode(mode), deadlineMs, lockState);
            lockState.Queue.Add(waiter);
            SessionFor(sessionId, name).Waits.Add(name, waiter);
            Require(waitsById.TryAdd(waitId, waiter), $"wait {waitId} appears twice");
            if (deadlineMs != long.MaxValue)
            {
                waitDeadlines.Add((deadlineMs, waitId));
            }
        }
    }

    private SessionState SessionFor(ulong sessionId, string lockName)
    {
        Require(sessions.TryGetValue(sessionId, out var session), $"lock '{lockName}' refers to unknown session {sessionId}");
        return session!;
    }

    private static LockMode ReadMode(byte mode)
    {
        Require(mode <= (byte)LockMode.Exclusive, $"unknown lock mode {mode}");
        return (LockMode)mode;
    }

    private static void WriteResult(IBufferWriter<byte> writer, in LockResult result)
    {
        LockBinary.WriteU8(writer, (byte)result.Status);
        LockBinary.WriteU64(writer, result.Value);
        LockBinary.WriteU32(writer, (uint)result.Cycle.Length);
        foreach (var session in result.Cycle)
        {
            LockBinary.WriteU64(writer, session);
        }
    }

    private static bool TryReadResult(ref SequenceReader<byte> reader, out LockResult result)
    {
        result = default;
        if (!reader.TryRead(out var status) || !WireReader.TryReadU64(ref reader, out var value)
            || !WireReader.TryReadU32(ref reader, out var cycleLength) || cycleLength > reader.Remaining / 8)
        {
            return false;
        }

        ulong[]? cycle = cycleLength == 0 ? null : new ulong[cycleLength];
        for (var i = 0; i < cycleLength; i++)
        {
            WireReader.TryReadU64(ref reader, out cycle![i]);
        }

        result = new LockResult((LockOutcome)status, value, cycle);
        return true;
    }

    private static void Require(bool condition, string problem)
    {
        if (!condition)
        {
            throw Corrupt(problem);
        }
    }

    private static InvalidDataException Corrupt(string problem) => new($"lock table snapshot: {problem}");
}
