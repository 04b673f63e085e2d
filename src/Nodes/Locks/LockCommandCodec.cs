using System.Buffers;

using Sinkron.Wire.Messages;

namespace Sinkron.Nodes.Locks;

/// <summary>
/// Encodes <see cref="LockCommand"/>s as Raft log entry payloads, little-endian:
/// <c>u8 kind | i64 nowMs | body</c>, where the body is
/// OpenSession <c>u64 clientId | i64 ttlMs</c>; KeepAlive and CloseSession <c>u64 session</c>;
/// Acquire <c>u64 session | u64 seq | u64 ackedBelow | u8 mode | i64 waitTimeoutMs | u16 nameLength | name</c>;
/// Release <c>u64 session | u64 seq | u64 ackedBelow | u16 nameLength | name</c>; Expire nothing.
/// Names are UTF-8, at most <see cref="LockCommand.MaxNameBytes"/>.
/// </summary>
internal static class LockCommandCodec
{
    public static void Write(in LockCommand command, IBufferWriter<byte> writer)
    {
        LockBinary.WriteU8(writer, (byte)command.Kind);
        LockBinary.WriteI64(writer, command.NowMs);
        switch (command.Kind)
        {
            case LockCommandKind.OpenSession:
                LockBinary.WriteU64(writer, command.ClientId);
                LockBinary.WriteI64(writer, command.TtlMs);
                break;
            case LockCommandKind.KeepAlive or LockCommandKind.CloseSession:
                LockBinary.WriteU64(writer, command.Session);
                break;
            case LockCommandKind.Acquire:
                LockBinary.WriteU64(writer, command.Session);
                LockBinary.WriteU64(writer, command.Seq);
                LockBinary.WriteU64(writer, command.AckedBelow);
                LockBinary.WriteU8(writer, (byte)command.Mode);
                LockBinary.WriteI64(writer, command.WaitTimeoutMs);
                LockBinary.WriteName(writer, command.Name);
                break;
            case LockCommandKind.Release:
                LockBinary.WriteU64(writer, command.Session);
                LockBinary.WriteU64(writer, command.Seq);
                LockBinary.WriteU64(writer, command.AckedBelow);
                LockBinary.WriteName(writer, command.Name);
                break;
            case LockCommandKind.Expire:
                break;
            default:
                throw new ArgumentException($"unknown command kind {(byte)command.Kind}", nameof(command));
        }
    }

    public static byte[] ToArray(in LockCommand command)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        Write(command, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Decodes one whole command. False, with a reason, when the input is truncated, has trailing bytes or breaks
    /// a rule of <see cref="LockCommand.Validate"/>; never throws on bad input.
    /// </summary>
    public static bool TryRead(ReadOnlySequence<byte> input, out LockCommand command, out string? error)
    {
        var reader = new SequenceReader<byte>(input);
        command = default;
        if (!reader.TryRead(out var kindByte) || !LockBinary.TryReadI64(ref reader, out var nowMs))
        {
            error = "truncated command header";
            return false;
        }

        var kind = (LockCommandKind)kindByte;
        if (!TryReadBody(ref reader, kind, nowMs, out command, out error))
        {
            error ??= $"truncated {kind} command";
            return false;
        }

        if (!reader.End)
        {
            error = $"{reader.Remaining} unexpected bytes after a {kind} command";
            return false;
        }

        error = command.Validate();
        return error is null;
    }

    public static bool TryRead(ReadOnlyMemory<byte> input, out LockCommand command, out string? error) =>
        TryRead(new ReadOnlySequence<byte>(input), out command, out error);

    private static bool TryReadBody(ref SequenceReader<byte> reader, LockCommandKind kind, long nowMs, out LockCommand command, out string? error)
    {
        command = default;
        error = null;
        ulong session, seq, ackedBelow;
        string name;
        switch (kind)
        {
            case LockCommandKind.OpenSession:
                if (!WireReader.TryReadU64(ref reader, out var clientId) || !LockBinary.TryReadI64(ref reader, out var ttlMs))
                {
                    return false;
                }

                command = LockCommand.OpenSession(nowMs, clientId, ttlMs);
                return true;
            case LockCommandKind.KeepAlive or LockCommandKind.CloseSession:
                if (!WireReader.TryReadU64(ref reader, out session))
                {
                    return false;
                }

                command = kind == LockCommandKind.KeepAlive ? LockCommand.KeepAlive(nowMs, session) : LockCommand.CloseSession(nowMs, session);
                return true;
            case LockCommandKind.Acquire:
                if (!WireReader.TryReadU64(ref reader, out session) || !WireReader.TryReadU64(ref reader, out seq)
                    || !WireReader.TryReadU64(ref reader, out ackedBelow)
                    || !reader.TryRead(out var mode) || !LockBinary.TryReadI64(ref reader, out var waitMs)
                    || !LockBinary.TryReadName(ref reader, out name, out error))
                {
                    return false;
                }

                command = LockCommand.Acquire(nowMs, session, seq, ackedBelow, name, (LockMode)mode, waitMs);
                return true;
            case LockCommandKind.Release:
                if (!WireReader.TryReadU64(ref reader, out session) || !WireReader.TryReadU64(ref reader, out seq)
                    || !WireReader.TryReadU64(ref reader, out ackedBelow)
                    || !LockBinary.TryReadName(ref reader, out name, out error))
                {
                    return false;
                }

                command = LockCommand.Release(nowMs, session, seq, ackedBelow, name);
                return true;
            case LockCommandKind.Expire:
                command = LockCommand.Expire(nowMs);
                return true;
            default:
                error = $"unknown command kind {(byte)kind}";
                return false;
        }
    }
}
