using System.Buffers;

namespace Sinkron.Nodes.Cache;

/// <summary>The cache role: lines, client operations, and answers to the homes' Fetch and Inv.</summary>
internal sealed partial class CacheNodeCore
{
    private void Submit(ReadOnlySpan<byte> key, ClientOp op)
    {
        if (key.Length > BusFrameCodec.MaxKeyBytes)
        {
            throw new ArgumentException($"Keys are limited to {BusFrameCodec.MaxKeyBytes} bytes.", nameof(key));
        }

        if (!lines.TryGet(key, out var line))
        {
            line = new CacheLine(key.ToArray(), homes.HomeOf(key)) { Ops = new Queue<ClientOp>() };
            lines.Add(line, line.ComputeSize());
            Metrics.LineEntered(LineState.Invalid);
        }

        line.Ops!.Enqueue(op);
        Pump(line);
        Settle();
    }

    /// <summary>Runs the line's queued operations in order until one needs the home.</summary>
    private void Pump(CacheLine line)
    {
        while (line.Pending is null && line.Ops is { Count: > 0 } ops)
        {
            var op = ops.Peek();
            if (IsDown(line.Home))
            {
                ops.Dequeue();
                line.HeadCounted = false;
                Output.Completions.Add(new CacheCompletion(op.RequestId, CacheStatus.Unavailable, line.State, 0, default));
                continue;
            }

            if (TryServeLocally(line, op))
            {
                ops.Dequeue();
                if (!line.HeadCounted)
                {
                    Metrics.Hits++;
                }

                line.HeadCounted = false;
                continue;
            }

            if (!line.HeadCounted)
            {
                Metrics.Misses++;
                line.HeadCounted = true;
            }

            StartRequest(line, op);
        }

        ReleaseIfIdle(line);
    }

    private bool TryServeLocally(CacheLine line, ClientOp op)
    {
        if (!op.IsWrite)
        {
            if (line.State == LineState.Invalid)
            {
                return false;
            }

            CompleteRead(line, op.RequestId);
            return true;
        }

        // E → M is the point of E: no other copy exists, so the write needs no bus traffic.
        // Write-through nodes always go home, so they never hold M.
        if (options.WriteThrough || line.State is not (LineState.Modified or LineState.Exclusive))
        {
            return false;
        }

        SetState(line, LineState.Modified);
        line.Value = op.Value ?? [];
        line.Tombstone = op.Kind == ClientOpKind.Delete;
        line.Version++;
        lines.Resize(line, line.ComputeSize());
        CompleteWrite(line, op.RequestId);
        return true;
    }

    private void StartRequest(CacheLine line, ClientOp op)
    {
        BusMessageType type;
        if (!op.IsWrite)
        {
            type = BusMessageType.BusRd;
        }
        else if (options.WriteThrough)
        {
            type = BusMessageType.WriteThrough;
        }
        else
        {
            type = line.State == LineState.Shared ? BusMessageType.BusUpgr : BusMessageType.BusRdX;
        }

        line.Pending = type;
        if (type == BusMessageType.WriteThrough)
        {
            var tombstone = op.Kind == ClientOpKind.Delete;
            Send(type, line.Home, 0, DataFlags(tombstone), line.Key, op.Value ?? []);
        }
        else
        {
            Send(type, line.Home, 0, BusFlags.None, line.Key, null);
        }
    }

    private void OnGrant(ReadOnlySpan<byte> key, in BusMessage message)
    {
        if (!lines.TryPeek(key, out var line) || !Answers(message.Type, line.Pending))
        {
            Metrics.ProtocolErrors++;
            return;
        }

        var state = message.Type switch
        {
            BusMessageType.GrantS => LineState.Shared,
            BusMessageType.GrantE => LineState.Exclusive,
            _ => LineState.Modified,
        };
        line.Value = message.Value.IsEmpty ? [] : message.Value.ToArray();
        line.Tombstone = message.IsTombstone;
        line.Version = message.Version;
        SetState(line, state);
        lines.Resize(line, line.ComputeSize());
        line.Pending = null;
        Pump(line);
    }

    private static bool Answers(BusMessageType grant, BusMessageType? pending) => grant == BusMessageType.GrantM
        ? pending is BusMessageType.BusRdX or BusMessageType.BusUpgr
        : pending == BusMessageType.BusRd;

    private void OnWriteAck(ReadOnlySpan<byte> key, in BusMessage message)
    {
        if (!lines.TryPeek(key, out var line) || line.Pending != BusMessageType.WriteThrough
            || line.Ops is not { Count: > 0 } ops || !ops.Peek().IsWrite)
        {
            Metrics.ProtocolErrors++;
            return;
        }

        var op = ops.Dequeue();
        line.Value = op.Value ?? [];
        line.Tombstone = op.Kind == ClientOpKind.Delete;
        line.Version = message.Version;
        SetState(line, LineState.Exclusive);
        lines.Resize(line, line.ComputeSize());
        line.Pending = null;
        line.HeadCounted = false;
        CompleteWrite(line, op.RequestId);
        Pump(line);
    }

    private void OnFetch(ReadOnlySpan<byte> key, int home)
    {
        // No line here: an eviction notice crossed the Fetch, and it reaches the home first.
        if (!lines.TryPeek(key, out var line) || line.State == LineState.Invalid)
        {
            Send(BusMessageType.FetchAck, home, 0, BusFlags.None, line?.Key ?? key.ToArray(), null);
            return;
        }

        if (line.State == LineState.Modified)
        {
            Metrics.WriteBacks++;
            Send(BusMessageType.FetchAck, home, line.Version, DataFlags(line.Tombstone) | BusFlags.KeptCopy, line.Key, line.Value);
        }
        else
        {
            Send(BusMessageType.FetchAck, home, line.Version, BusFlags.KeptCopy, line.Key, null);
        }

        SetState(line, LineState.Shared);
    }

    private void OnInv(ReadOnlySpan<byte> key, int home)
    {
        Metrics.InvalidationsReceived++;
        if (!lines.TryPeek(key, out var line) || line.State == LineState.Invalid)
        {
            Send(BusMessageType.InvAck, home, 0, BusFlags.None, line?.Key ?? key.ToArray(), null);
            return;
        }

        if (line.State == LineState.Modified)
        {
            Metrics.WriteBacks++;
            Send(BusMessageType.InvAck, home, line.Version, DataFlags(line.Tombstone), line.Key, line.Value);
        }
        else
        {
            Send(BusMessageType.InvAck, home, line.Version, BusFlags.None, line.Key, null);
        }

        Invalidate(line);
        ReleaseIfIdle(line);
    }

    private void EnforceCapacity()
    {
        while (lines.FindVictim() is { } victim)
        {
            if (victim.State == LineState.Invalid)
            {
                RemoveLine(victim);
            }
            else
            {
                EvictLine(victim);
            }
        }
    }

    /// <summary>Drops a valid, unpinned line, telling the home so its directory stays exact.</summary>
    private void EvictLine(CacheLine line)
    {
        switch (line.State)
        {
            case LineState.Modified:
                Metrics.WriteBacks++;
                Send(BusMessageType.PutM, line.Home, line.Version, DataFlags(line.Tombstone), line.Key, line.Value);
                break;
            case LineState.Exclusive:
                Send(BusMessageType.PutE, line.Home, line.Version, BusFlags.None, line.Key, null);
                break;
            case LineState.Shared:
                Send(BusMessageType.PutS, line.Home, line.Version, BusFlags.None, line.Key, null);
                break;
            default:
                break;
        }

        Metrics.Evictions++;
        Invalidate(line);
        RemoveLine(line);
    }

    private void Invalidate(CacheLine line)
    {
        SetState(line, LineState.Invalid);
        line.Value = [];
        line.Tombstone = false;
        lines.Resize(line, line.ComputeSize());
    }

    private void ReleaseIfIdle(CacheLine line)
    {
        if (line.State == LineState.Invalid && !line.Pinned)
        {
            RemoveLine(line);
        }
    }

    private void RemoveLine(CacheLine line)
    {
        if (lines.Remove(line))
        {
            Metrics.LineLeft(line.State);
        }
    }

    private void SetState(CacheLine line, LineState state)
    {
        Metrics.LineLeft(line.State);
        Metrics.LineEntered(state);
        line.State = state;
    }

    private void CompleteRead(CacheLine line, ulong requestId)
    {
        var status = line.Tombstone ? CacheStatus.NotFound : CacheStatus.Ok;
        Output.Completions.Add(new CacheCompletion(requestId, status, line.State, line.Version, line.Value));
    }

    private void CompleteWrite(CacheLine line, ulong requestId) =>
        Output.Completions.Add(new CacheCompletion(requestId, CacheStatus.Ok, line.State, line.Version, default));
}
