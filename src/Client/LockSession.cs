using Sinkron.Wire.Messages;
using Sinkron.Wire.Messages.Locks;

namespace Sinkron.Client;

/// <summary>
/// The lease locks are held under. A background loop renews it every third of its TTL; when
/// renewal fails past the TTL, or the cluster says it expired, <see cref="Lost"/> fires for every
/// handle held under it, and the next acquire opens a new session.
/// </summary>
internal sealed class LockSession(ulong id, TimeSpan ttl)
{
    private readonly CancellationTokenSource _lost = new();
    private readonly CancellationTokenSource _closing = new();

    public ulong Id { get; } = id;

    public CancellationToken Lost => _lost.Token;

    public bool IsLost => _lost.IsCancellationRequested;

    public void MarkLost()
    {
        try
        {
            _lost.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void StartKeepAlive(LockRouting routing) => _ = Task.Run(() => KeepAliveLoopAsync(routing));

    private async Task KeepAliveLoopAsync(LockRouting routing)
    {
        var lastRenewal = Environment.TickCount64;
        while (!_closing.IsCancellationRequested && !IsLost)
        {
            try
            {
                await Task.Delay(ttl / 3, _closing.Token);
                var reply = await routing.SendAsync<LockSessionRequest, LockReply>(MessageType.LockKeepAlive, new LockSessionRequest(0, Id, 0), null, _closing.Token);
                if (reply.Outcome != LockOutcome.KeptAlive)
                {
                    MarkLost();
                    return;
                }

                lastRenewal = Environment.TickCount64;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SinkronException)
            {
                if (Environment.TickCount64 - lastRenewal > ttl.TotalMilliseconds)
                {
                    MarkLost();
                    return;
                }
            }
        }
    }

    public async Task CloseAsync(LockRouting routing)
    {
        await _closing.CancelAsync();
        if (IsLost)
        {
            return;
        }

        try
        {
            using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            await routing.SendAsync<LockSessionRequest, LockReply>(MessageType.LockCloseSession, new LockSessionRequest(0, Id, 0), null, quick.Token);
        }
        catch (Exception ex) when (ex is SinkronException or OperationCanceledException)
        {
            // The lease expires on its own; closing is a courtesy that releases locks sooner.
        }

        MarkLost();
    }
}
