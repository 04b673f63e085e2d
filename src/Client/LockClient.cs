using System.Text;
using Sinkron.Wire.Messages;
using Sinkron.Wire.Messages.Locks;

namespace Sinkron.Client;

/// <summary>
/// The lock service: shared and exclusive locks with fencing tokens, held by one session per
/// client whose lease is renewed automatically. Requests find the leader, follow NOT_LEADER
/// redirects and are retried across failover with the same sequence number, so each is applied
/// exactly once. Obtain it from <see cref="SinkronClient.Locks"/>.
/// </summary>
public sealed partial class LockClient : IAsyncDisposable
{
    private readonly SinkronClient _client;
    private readonly LockRouting _routing;
    private readonly SemaphoreSlim _sessionGate = new(1, 1);
    private readonly InFlightSeqs _inFlight = new();
    private LockSession? _session;

    internal LockClient(SinkronClient client)
    {
        _client = client;
        _routing = new LockRouting(client);
    }

    /// <summary>
    /// Waits up to <paramref name="wait"/> (null: without limit) for the lock and returns the held handle.
    /// </summary>
    /// <exception cref="SinkronException">
    /// TIMEOUT when the wait ran out; DEADLOCK when waiting would close a cycle (the message names it);
    /// UNAVAILABLE when no leader could be reached.
    /// </exception>
    public async Task<LockHandle> AcquireAsync(string name, LockMode mode = LockMode.Exclusive, TimeSpan? wait = null, CancellationToken cancellationToken = default)
        => await AcquireCoreAsync(name, mode, wait is { } w ? (long)w.TotalMilliseconds : -1, cancellationToken)
           ?? throw new SinkronException(ErrorCode.Timeout, $"gave up waiting for lock '{name}' after {wait?.TotalSeconds:0.###} s");

    /// <summary>Takes the lock only if it is free now; null when it is held by another session.</summary>
    public Task<LockHandle?> TryAcquireAsync(string name, LockMode mode = LockMode.Exclusive, CancellationToken cancellationToken = default)
        => AcquireCoreAsync(name, mode, 0, cancellationToken);

    /// <summary>Locks whose names start with <paramref name="prefix"/>, with holders and waiters (a linearizable read).</summary>
    public async Task<IReadOnlyList<LockEntry>> ListAsync(string prefix = "", CancellationToken cancellationToken = default)
        => (await _routing.SendAsync<LockListRequest, LockListResponse>(MessageType.LockList, new LockListRequest(prefix), null, cancellationToken)).Locks;

    /// <summary>The session id locks are held under (opening it when needed).</summary>
    public async Task<ulong> SessionIdAsync(CancellationToken cancellationToken = default) => (await SessionAsync(cancellationToken)).Id;

    private async Task<LockHandle?> AcquireCoreAsync(string name, LockMode mode, long waitMs, CancellationToken cancellationToken)
    {
        var utf8 = Encoding.UTF8.GetBytes(name);
        if (utf8.Length is 0 or > LockRequest.MaxNameBytes)
        {
            throw new SinkronException(ErrorCode.InvalidArgument, $"a lock name must be 1 to {LockRequest.MaxNameBytes} UTF-8 bytes");
        }

        var session = await SessionAsync(cancellationToken);
        var timeout = waitMs < 0 ? TimeSpan.FromDays(1) : _client.Options.Connection.RequestTimeout + TimeSpan.FromMilliseconds(waitMs);
        LockReply reply;
        try
        {
            reply = await SendLockAsync(MessageType.LockAcquire, session, utf8, mode, waitMs, timeout, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The request may still be queued or even granted: release it so no orphan grant stays behind.
            _ = ReleaseAsync(name, CancellationToken.None).ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
            throw;
        }

        return reply.Outcome switch
        {
            LockOutcome.Granted => new LockHandle(this, name, mode, reply.Value, session.Lost),
            LockOutcome.Busy => null,
            LockOutcome.Timeout when waitMs >= 0 => null,
            _ => throw Failure(reply),
        };
    }

    internal async Task ReleaseAsync(string name, CancellationToken cancellationToken)
    {
        var session = _session;
        if (session is null || session.Lost.IsCancellationRequested)
        {
            return;
        }

        var reply = await SendLockAsync(MessageType.LockRelease, session, Encoding.UTF8.GetBytes(name), LockMode.Exclusive, 0, null, cancellationToken);
        if (reply.Outcome is not (LockOutcome.Released or LockOutcome.Cancelled or LockOutcome.NotHeld))
        {
            throw Failure(reply);
        }
    }

    private async Task<LockReply> SendLockAsync(MessageType type, LockSession session, byte[] name, LockMode mode, long waitMs, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var (seq, ackedBelow) = _inFlight.Open();
        try
        {
            var request = new LockRequest(session.Id, seq, ackedBelow, new System.Buffers.ReadOnlySequence<byte>(name), (byte)mode, waitMs);
            var reply = await _routing.SendAsync<LockRequest, LockReply>(type, request, timeout, cancellationToken);
            if (reply.Outcome is LockOutcome.SessionExpired or LockOutcome.UnknownSession)
            {
                session.MarkLost();
            }

            return reply;
        }
        finally
        {
            _inFlight.Close(seq);
        }
    }

    private static SinkronException Failure(in LockReply reply) => reply.Outcome switch
    {
        LockOutcome.Deadlock => new SinkronException(ErrorCode.Deadlock, reply.Detail, reply.Detail),
        LockOutcome.SessionExpired or LockOutcome.UnknownSession => new SinkronException(ErrorCode.SessionExpired, reply.Detail),
        LockOutcome.NotHeld => new SinkronException(ErrorCode.NotHeld, reply.Detail),
        LockOutcome.Timeout => new SinkronException(ErrorCode.Timeout, reply.Detail),
        _ => new SinkronException(ErrorCode.InvalidArgument, $"{reply.Outcome}: {reply.Detail}"),
    };

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        var session = _session;
        if (session is not null)
        {
            await session.CloseAsync(_routing);
        }

        _sessionGate.Dispose();
    }
}
