namespace Sinkron.Client;

/// <summary>
/// A held lock. Dispose (or <see cref="ReleaseAsync"/>) to release it. Check <see cref="Lost"/>
/// before acting on the protected resource, and pass <see cref="FencingToken"/> to it so it can
/// refuse a stale holder.
/// </summary>
public sealed class LockHandle : IAsyncDisposable
{
    private readonly LockClient _owner;
    private int _released;

    internal LockHandle(LockClient owner, string name, LockMode mode, ulong fencingToken, CancellationToken lost)
    {
        _owner = owner;
        Name = name;
        Mode = mode;
        FencingToken = fencingToken;
        Lost = lost;
    }

    /// <summary>The lock's name.</summary>
    public string Name { get; }

    /// <summary>How it is held.</summary>
    public LockMode Mode { get; }

    /// <summary>The Raft log index of the grant: strictly increasing across successive grants of this lock.</summary>
    public ulong FencingToken { get; }

    /// <summary>Fires when the session behind this lock is lost (lease expired, cluster unreachable past the TTL): the lock may be held by someone else now.</summary>
    public CancellationToken Lost { get; }

    /// <summary>Releases the lock. Safe to call twice.</summary>
    /// <exception cref="SinkronException">The cluster could not be reached to release it (the lease will still expire).</exception>
    public async Task ReleaseAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            await _owner.ReleaseAsync(Name, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Lost.IsCancellationRequested)
        {
            Interlocked.Exchange(ref _released, 1);
            return;
        }

        await ReleaseAsync();
    }
}
